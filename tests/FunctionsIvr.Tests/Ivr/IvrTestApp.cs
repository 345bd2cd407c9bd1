using System.Text.Json.Nodes;
using FunctionsIvr.Ivr;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Ivr;

/// <summary>
/// A minimal app on TestServer with the real IVR wiring (<c>AddIvrProtocol</c> + <c>.ValidateIvrRequest()</c>) and a
/// handler that reports what it received, so tests see the HTTP behaviour the platform would see.
/// Configuration comes only from the test (no appsettings, no environment variables).
/// </summary>
public sealed class IvrTestApp : IAsyncDisposable
{
    public const string Route = "/api/ivr";

    private IvrTestApp(WebApplication app, CapturingLoggerProvider logs)
    {
        App = app;
        Logs = logs;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public CapturingLoggerProvider Logs { get; }

    /// <summary>How many times the handler ran; a refused callback must not reach it.</summary>
    public int HandlerCalls { get; private set; }

    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?> settings, string environment, CapturingLoggerProvider logs)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.AddIvrProtocol();
        return builder;
    }

    public static async Task<IvrTestApp> StartAsync(IDictionary<string, string?> settings, string environment = "Production")
    {
        var logs = new CapturingLoggerProvider();
        var app = CreateBuilder(settings, environment, logs).Build();
        IvrTestApp? testApp = null;

        // Echo handler: 200 with Play 1 and what it saw in Session; failures as text so tests can read the reason.
        app.MapPost(Route, (HttpContext httpContext) =>
        {
            testApp!.HandlerCalls++;
            var parsed = httpContext.GetIvrParseResult();
            if (parsed.Request is not { } request)
            {
                return Results.Text($"parse-failed:{parsed.Error!.Kind}");
            }

            var seen = new JsonObject
            {
                ["callId"] = request.UniqueCallId,
                ["event"] = request.EventName,
                ["hashVisible"] = request.Hash is not null || parsed.Hash is not null,
            };
            return (IResult)new IvrActionResult(IvrAction.Play("1"), seen);
        }).ValidateIvrRequest();

        await app.StartAsync();
        testApp = new IvrTestApp(app, logs);
        return testApp;
    }

    public static Dictionary<string, string?> ProductionSettings(string hash = "s3cr3t") => new()
    {
        ["Ivr:Hash"] = hash,
        ["Ivr:SessionKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
