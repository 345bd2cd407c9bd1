using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsIvr.Calls;
using FunctionsIvr.Hosting;
using FunctionsIvr.Tests.Calls;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace FunctionsIvr.Tests.Hosting;

public class TelemetryHostBuilderExtensionsTests
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddTelemetry_WithConnectionString_CallbackSendsRequestAndTraceTaggedWithTheCall()
    {
        await using var ingestion = await FakeIngestionEndpoint.StartAsync();
        // The handler as Program.cs composes it (telemetry included), the ERP mocked at its seam.
        using var app = new IvrApp(new() { [TelemetryHostBuilderExtensions.ConnectionStringSetting] = ingestion.ConnectionString });
        const string callId = "telemetry-call-0001";

        using var client = app.CreateClient();
        var callback = new JsonObject { ["request"] = IvrApp.Callback("Connected", callId: callId) }.ToJsonString();
        using var content = new StringContent(callback, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        // Forwarded by the host as the PBX sent it: the function key in the query string.
        using var response = await client.PostAsync(new Uri("/api/ivr?code=function-key-not-for-telemetry", UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"the callback answered {(int)response.StatusCode}");

        await app.Services.GetRequiredService<TelemetryClient>().FlushAsync(CancellationToken.None);
        var arrived = await WaitForAsync(() =>
            ingestion.Find("RequestData", CallTelemetry.CallId, callId).Count > 0 && ingestion.Find("MessageData", CallTelemetry.CallId, callId).Count > 0);

        var kinds = string.Join(", ", ingestion.Items.Select(i => (string?)i["data"]?["baseType"]).Distinct());
        Assert.True(arrived, $"no request and trace tagged CallId={callId} reached ingestion; got {ingestion.Items.Count} items ({kinds})");
        var request = ingestion.Find("RequestData", CallTelemetry.CallId, callId)[0]["data"]!["baseData"]!;
        Assert.Equal(IvrCallbackFunction.FunctionName, (string?)request["properties"]?[CallTelemetry.FunctionName]);
        Assert.False(string.IsNullOrEmpty((string?)request["properties"]?[CallTelemetry.Step]), "the request does not say which step it handled");
        Assert.Equal("200", (string?)request["responseCode"]);
        // The call's first answer (event 2101) can be found by its event id.
        Assert.Contains(ingestion.Find("MessageData", CallTelemetry.CallId, callId),
            trace => (string?)trace["data"]?["baseData"]?["properties"]?["EventId"] == "2101");
        var everything = string.Join('\n', ingestion.Items.Select(i => i.ToJsonString()));
        Assert.DoesNotContain("function-key-not-for-telemetry", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("48600100200", everything, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTelemetry_WithoutConnectionString_RegistersNoTelemetryAndLogsToTheConsoleOnly()
    {
        var builder = Host.CreateApplicationBuilder();

        builder.AddTelemetry();

        var provider = Assert.Single(builder.Services, d => d.ServiceType == typeof(ILoggerProvider));
        Assert.Equal(typeof(ConsoleLoggerProvider), provider.ImplementationType);
        Assert.DoesNotContain(builder.Services, d => d.ServiceType.Namespace?.StartsWith("Microsoft.ApplicationInsights", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void AddTelemetry_WithConnectionString_RegistersTheClientAndTheCallInitializer()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[TelemetryHostBuilderExtensions.ConnectionStringSetting] = "InstrumentationKey=" + FakeIngestionEndpoint.InstrumentationKey + ";IngestionEndpoint=http://127.0.0.1:9/";

        builder.AddTelemetry();

        Assert.Contains(builder.Services, d => d.ServiceType == typeof(TelemetryClient));
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(ITelemetryInitializer) && d.ImplementationType == typeof(CallTelemetryInitializer));
    }

    [Theory]
    [InlineData("ClientId=abc")]
    [InlineData("Authorization=Key")]
    [InlineData("garbage")]
    public void AddTelemetry_UnreadableAuthenticationString_FailsNamingTheSetting(string authentication)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[TelemetryHostBuilderExtensions.ConnectionStringSetting] = "InstrumentationKey=" + FakeIngestionEndpoint.InstrumentationKey;
        builder.Configuration[TelemetryHostBuilderExtensions.AuthenticationStringSetting] = authentication;

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddTelemetry());

        Assert.Contains(TelemetryHostBuilderExtensions.AuthenticationStringSetting, error.Message, StringComparison.Ordinal);
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(ArrivalTimeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                return condition();
            }
        }

        return true;
    }
}
