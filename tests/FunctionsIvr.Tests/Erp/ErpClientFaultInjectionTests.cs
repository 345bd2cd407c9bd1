using System.Net.Http.Json;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

/// <summary>The DemoErp's injected latency and failures, as the client experiences them.</summary>
public sealed class ErpClientFaultInjectionTests(DemoErpHost demo) : IClassFixture<DemoErpHost>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var admin = demo.Admin();
        (await admin.DeleteAsync(new Uri("/admin/faults", UriKind.Relative))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task InjectedLatencyOnContacts_LongerThanReadTimeout_FailsTimeoutWhileOtherPathsAnswer()
    {
        await SetFaultsAsync(new { pathFaults = new[] { new { prefix = "/contacts", latencyMs = 5000 } } });
        var client = demo.CreateClient(o => o.ReadTimeoutMs = 300);

        var e = await Assert.ThrowsAsync<ErpException>(() => client.FindContactByPhoneAsync("48600100200"));

        Assert.Equal(ErpErrorKind.Timeout, e.Kind);
        Assert.NotEmpty(await client.SearchProductsAsync("cement"));
    }

    [Fact]
    public async Task InjectedFailures_AllRequestsFail503_UnavailableAfterTheRetryAndTracedAsTwoAttempts()
    {
        await SetFaultsAsync(new { failureRate = 1.0, failStatus = 503 });
        var client = demo.CreateClient();

        using var trace = ErpCallTrace.Begin();
        var e = await Assert.ThrowsAsync<ErpException>(() => client.SearchProductsAsync("cement"));

        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
        Assert.Equal(ErpProblemTypes.Unavailable, e.Problem?.Type);
        Assert.Equal(2, Assert.Single(trace.Calls).Attempts);
    }

    [Fact]
    public async Task FaultsCleared_CallsSucceedAgain()
    {
        await SetFaultsAsync(new { failureRate = 1.0, failStatus = 500 });
        using (var admin = demo.Admin()) (await admin.DeleteAsync(new Uri("/admin/faults", UriKind.Relative))).EnsureSuccessStatusCode();

        Assert.NotNull(await demo.CreateClient().FindContactByPhoneAsync("48600100200"));
    }

    private async Task SetFaultsAsync(object faults)
    {
        using var admin = demo.Admin();
        (await admin.PostAsJsonAsync(new Uri("/admin/faults", UriKind.Relative), faults)).EnsureSuccessStatusCode();
    }
}
