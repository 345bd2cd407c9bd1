using System.Net.Http.Json;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Integration;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Fault drill: the ERP takes prepares but fails every commit with 503 for a few seconds, then recovers. Service Bus
/// redelivers a failed CommitOrder at once, so only the pause the app holds before answering the failure keeps a
/// message's ten deliveries from running out during the outage (without it they are gone in well under a second and
/// the order is dead-lettered). Three callers order; the fault is lifted once each commit has failed three deliveries
/// and at least 2 s have passed. Every accepted order must then be committed once, with nothing dead-lettered.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CommitOutageDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    private static readonly TimeSpan MinimumOutage = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ErpCommitsFailingForAFewSeconds_EveryAcceptedOrderCommittedOnceAndNoneDeadLettered()
    {
        await using var bus = await FakeServiceBusServer.StartAsync(QueueNames.WorkQueues.Append(QueueNames.DeadLetters));
        var folder = DrillApp.NewFolder("commit-outage");
        var clock = new ShiftedTimeProvider();
        // The ERP client's circuit breaker opens during the outage. In Azure it breaks for 15 s against deliveries spread
        // over 2.5 minutes; here the deliveries are spread over 16 s, so it breaks for 1 s (the same rule, shortened).
        await using var app = DrillApp.CreateOnServiceBus(erp, folder, clock, azurite.ConnectionString, bus,
            new() { ["Erp:CircuitBreaker:BreakDurationSeconds"] = "1" });
        await using var host = new ServiceBusTriggerHost(bus, app);
        await DrillApp.CallAsync(app, DemoCustomer.Phone); // warm-up, not counted
        using var admin = erp.Admin();

        using (var fault = await admin.PostAsJsonAsync("/admin/faults", new { pathFaults = new[] { new { prefix = "/transactions/", failureRate = 1.0, failStatus = 503 } } }))
        {
            fault.EnsureSuccessStatusCode();
        }
        var outage = System.Diagnostics.Stopwatch.StartNew();
        var calls = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DrillApp.CallAsync(app, DemoCustomer.Phone, "2", "1")));
        await host.WaitForFailedDeliveriesAsync(QueueNames.OrderCommits, messages: calls.Length, deliveries: 3, TimeSpan.FromSeconds(60));
        if (outage.Elapsed < MinimumOutage) await Task.Delay(MinimumOutage - outage.Elapsed);
        (await admin.DeleteAsync(new Uri("/admin/faults", UriKind.Relative))).EnsureSuccessStatusCode();
        outage.Stop();
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            DemoCustomer.ContactId, Path.Combine(folder, "tickets"));
        var commits = host.Deliveries.Where(d => d.Queue == QueueNames.OrderCommits).ToList();
        var report = ledger.Report(
            $"ERP commit failing for {outage.ElapsedMilliseconds} ms ({commits.Count(d => d.Failed)} failed deliveries), then lifted",
            calls);
        output.WriteLine(report.Append());
        foreach (var order in ledger.Orders) output.WriteLine($"{order.Call.CallId}: accepted={order.Accepted} tx={order.TransactionId} status={order.Status} erp={order.ErpOrders}");
        foreach (var delivery in commits) output.WriteLine($"delivery: {delivery}");
        output.WriteLine("escalations: " + string.Join(", ", ledger.EscalationIds));

        DrillAssert.Holds(report, ledger);
        Assert.All(calls, c => Assert.True(c.Heard(DrillApp.AcceptedPrompt), "prepares work, so every caller hears 'accepted'"));
        Assert.Equal(calls.Length, ledger.CommittedOnce);
        Assert.Empty(host.DeadLettered);
        Assert.DoesNotContain(ledger.EscalationIds, id => id.StartsWith("dead-lettered-", StringComparison.Ordinal));
        DrillAssert.FailuresHeldForTheirRetryDelay(host);
    }
}
