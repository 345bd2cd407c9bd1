using System.Net;
using FunctionsIvr.Erp;
using FunctionsIvr.Tests.Escalations;
using FunctionsIvr.Tests.Ivr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Erp;

public class ErpClientRegistrationTests
{
    [Fact]
    public async Task AddErpClient_NoBaseUrl_StartFailsNamingTheSettingAndItsEnvironmentVariable()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.AddErpClient();
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Erp:BaseUrl", e.Message, StringComparison.Ordinal);
        Assert.Contains("Erp__BaseUrl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddErpClient_Configured_CallsTheBaseUrlWithTheApiKeyAndSharesOneCircuit()
    {
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, """{"items":[]}"""));
        using var host = await StartAsync(erp, new() { ["Erp:ApiKeyHeader"] = "Ocp-Apim-Subscription-Key" });

        var client = host.Services.GetRequiredService<ErpClient>();
        await client.GetPromotionsAsync("c-1");

        var request = Assert.Single(erp.Requests);
        Assert.Equal("https://erp-gw.example.com/ivr/v1/promotions?contactId=c-1", request.Uri.AbsoluteUri);
        Assert.Equal("from-config", request.Header("Ocp-Apim-Subscription-Key"));
        Assert.NotSame(client, host.Services.GetRequiredService<ErpClient>());
        Assert.Same(host.Services.GetRequiredService<ErpResilience>(), host.Services.GetRequiredService<ErpResilience>());
        await host.StopAsync();
    }

    [Fact]
    public async Task AddErpClient_LoggingEverything_NoLineCarriesTheContactIdOrTheCallersNumber()
    {
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, """{"items":[]}"""));
        var logs = new CapturingLoggerProvider();
        using var host = await StartAsync(erp, new()
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        }, logs);

        var client = host.Services.GetRequiredService<ErpClient>();
        await client.FindContactByPhoneAsync("+48 600 100 200");
        await Assert.ThrowsAnyAsync<Exception>(() => client.GetContactAsync("c-1001"));

        Assert.Contains(erp.Requests, r => r.Uri.AbsolutePath.EndsWith("/contacts/c-1001", StringComparison.Ordinal));
        Assert.Contains(logs.Entries, e => e.Category == typeof(ErpClient).FullName);
        Assert.DoesNotContain("c-1001", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("600100200", logs.AllText, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddErpClient_CallCutOffWhileTheAppStops_LoggedAsTheShutdownNotAsAFailingErp()
    {
        // A stop with work in flight cancels that work; the ERP did nothing wrong, so the person on call gets no warning.
        var (logs, error) = await CutOffAHangingCallAsync(stopTheAppFirst: true);

        Assert.Equal(ErpErrorKind.Timeout, error.Kind);
        Assert.Contains("shutting down", error.Message, StringComparison.Ordinal);
        var line = Assert.Single(logs.Entries, e => e.Category == typeof(ErpClient).FullName && e.Level >= LogLevel.Information);
        Assert.Equal(3010, line.EventId.Id);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("GET /orders/{id} cut off by the app shutting down", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddErpClient_CallersDeadlineWhileTheAppRuns_StillAWarning()
    {
        var (logs, error) = await CutOffAHangingCallAsync(stopTheAppFirst: false);

        Assert.Contains("caller's deadline", error.Message, StringComparison.Ordinal);
        var line = Assert.Single(logs.Entries, e => e.Category == typeof(ErpClient).FullName && e.Level >= LogLevel.Information);
        Assert.Equal(3002, line.EventId.Id);
        Assert.Equal(LogLevel.Warning, line.Level);
    }

    private static async Task<(CapturingLoggerProvider Logs, ErpException Error)> CutOffAHangingCallAsync(bool stopTheAppFirst)
    {
        StubErpHandler? stub = null;
        var erp = new StubErpHandler((_, _, ct) => stub!.HangAsync(ct));
        stub = erp;
        var logs = new CapturingLoggerProvider();
        using var host = await StartAsync(erp, new() { ["Erp:ReadTimeoutMs"] = "60000" }, logs);
        var client = host.Services.GetRequiredService<ErpClient>();
        using var work = new CancellationTokenSource();

        var call = client.GetOrderAsync("o-1", work.Token);
        if (stopTheAppFirst) host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await work.CancelAsync();

        var error = await Assert.ThrowsAsync<ErpException>(() => call);
        await host.StopAsync();
        return (logs, error);
    }

    /// <summary>A started host with the ERP client at a base URL with an API key, its HTTP answered by <paramref name="erp"/>.</summary>
    [Fact]
    public async Task AddErpClient_ErpAnswersARedirect_NotFollowedSoTheApiKeyStaysWithTheErp()
    {
        await using var elsewhere = await FakeHttpServer.StartAsync((_, _) => Task.FromResult(new FakeResponse(200, """{"items":[]}""")));
        await using var erp = await FakeHttpServer.StartAsync((_, _) => Task.FromResult(new FakeResponse(307, "",
            new Dictionary<string, string> { ["Location"] = new Uri(elsewhere.BaseAddress, "/collect").AbsoluteUri })));
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Erp:BaseUrl"] = erp.BaseAddress.AbsoluteUri,
            ["Erp:ApiKey"] = "secret-erp-key",
            ["Erp:ReadRetries"] = "0",
        });
        builder.AddErpClient();
        using var host = builder.Build();
        await host.StartAsync();

        var e = await Assert.ThrowsAsync<ErpException>(() => host.Services.GetRequiredService<ErpClient>().GetOrderAsync("o-1"));

        // HttpClient drops only Authorization on a redirect: the key's own header would have gone to the other host.
        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
        Assert.Equal(307, e.Status);
        Assert.Empty(elsewhere.Requests);
        Assert.Equal("secret-erp-key", Assert.Single(erp.Requests).Header("X-Api-Key"));
        await host.StopAsync();
    }

    private static async Task<IHost> StartAsync(StubErpHandler erp, Dictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Erp:BaseUrl"] = "https://erp-gw.example.com/ivr/v1",
            ["Erp:ApiKey"] = "from-config",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        if (logs is not null) builder.Logging.ClearProviders().AddProvider(logs);
        builder.AddErpClient();
        builder.Services.AddHttpClient(nameof(ErpClient)).ConfigurePrimaryHttpMessageHandler(() => erp);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
