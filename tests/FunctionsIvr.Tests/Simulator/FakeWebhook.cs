using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Simulator;

/// <summary>
/// A real Kestrel server on 127.0.0.1, port 0, standing in for the app: it records every callback exactly as it
/// arrived and answers whatever the test scripts, including bad answers.
/// </summary>
public sealed class FakeWebhook : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedCallback> received = new();

    private FakeWebhook(WebApplication app, Uri url)
    {
        this.app = app;
        Url = url;
    }

    public Uri Url { get; }

    public IReadOnlyList<ReceivedCallback> Received => [.. received];

    public static async Task<FakeWebhook> StartAsync(Func<ReceivedCallback, FakeReply> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeWebhook? webhook = null;
        app.MapPost("/api/ivr", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var callback = ReceivedCallback.Parse(context.Request.ContentType ?? "", buffer.ToArray());
            webhook!.received.Enqueue(callback);
            var reply = respond(callback);
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }

            context.Response.StatusCode = reply.Status;
            if (reply.ContentType is not null)
            {
                context.Response.ContentType = reply.ContentType;
            }

            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(reply.Body), context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        webhook = new FakeWebhook(app, new Uri(address.TrimEnd('/') + "/api/ivr"));
        return webhook;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A callback as the fake received it: the raw wire form and the request object inside it.</summary>
public sealed record ReceivedCallback(string ContentType, string RawBody, string Shape, JsonElement Request)
{
    public string UniqueCallId => Request.GetProperty("UniqueCallId").GetString()!;

    public string EventName => Request.GetProperty("Event").GetProperty("EventName").GetString()!;

    public string EventData => Request.GetProperty("Event").GetProperty("EventData").GetString()!;

    public JsonElement Session => Request.GetProperty("Session");

    /// <summary>Session.step, or null when there is no Session or no step.</summary>
    public string? Step => Session.ValueKind == JsonValueKind.Object && Session.TryGetProperty("step", out var step) ? step.GetString() : null;

    public int Tries => Session.ValueKind == JsonValueKind.Object && Session.TryGetProperty("tries", out var tries) ? tries.GetInt32() : 0;

    public string? Hash => Request.TryGetProperty("Hash", out var hash) ? hash.GetString() : null;

    public JsonElement? Error => Request.TryGetProperty("Error", out var error) ? error : null;

    /// <summary>Reads any of the three shapes the platform may send: form field, JSON envelope, bare JSON.</summary>
    public static ReceivedCallback Parse(string contentType, byte[] body)
    {
        var raw = Encoding.UTF8.GetString(body);
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal))
        {
            var json = QueryHelpers.ParseQuery(raw)["request"].ToString();
            return new(contentType, raw, "form", JsonDocument.Parse(json).RootElement.Clone());
        }

        var root = JsonDocument.Parse(raw).RootElement.Clone();
        return root.TryGetProperty("request", out var request)
            ? new(contentType, raw, "json", request)
            : new(contentType, raw, "bare", root);
    }
}

/// <summary>What the fake answers: any status, Content-Type (null = none) and body, optionally late.</summary>
public sealed record FakeReply(int Status = 200, string? ContentType = "application/json; charset=utf-8", string Body = "", TimeSpan Delay = default)
{
    public static FakeReply Action(string action, string? session = null) =>
        new(Body: session is null ? $$"""{"Action":{{action}}}""" : $$"""{"Action":{{action}},"Session":{{session}}}""");

    public static FakeReply Play(string prompt, string? session = null) => Action($$"""{"Type":"Play","Prompt":"{{prompt}}"}""", session);

    public static FakeReply Hangup(string? session = null) => Action("""{"Type":"Hangup"}""", session);
}
