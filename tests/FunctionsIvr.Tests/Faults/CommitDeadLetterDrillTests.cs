using System.Net.Http.Json;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Integration;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Fault drill: the ERP takes prepares but every commit (POST /transactions/{id}/commit) fails with 503, so each
/// CommitOrder message is delivered until Service Bus' maxDeliveryCount (10) runs out, each failure answered only after
/// its retry delay (the drill's schedule, 250 ms doubling to 2 s: about 16 s for the ten), is dead-lettered, forwarded
/// to dead-letters and handled by HandleDeadLetters. The fault is then lifted and the outbox sweep runs five minutes
/// later, past <c>Orders:RecommitAfter</c> and within the reservations: it commits the stuck orders itself.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CommitDeadLetterDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    [Fact]
    public async Task CommitFailingUntilDeadLettered_TheSweepCommitsEveryAcceptedOrderOnceTheErpIsBack()
    {
        await using var bus = await FakeServiceBusServer.StartAsync(QueueNames.WorkQueues.Append(QueueNames.DeadLetters));
        var folder = DrillApp.NewFolder("deadletter");
        var clock = new ShiftedTimeProvider();
        await using var app = DrillApp.CreateOnServiceBus(erp, folder, clock, azurite.ConnectionString, bus);
        await using var host = new ServiceBusTriggerHost(bus, app);
        await DrillApp.CallAsync(app, DemoCustomer.Phone); // warm-up, not counted
        using var admin = erp.Admin();

        using (var fault = await admin.PostAsJsonAsync("/admin/faults", new { pathFaults = new[] { new { prefix = "/transactions/", failureRate = 1.0, failStatus = 503 } } }))
        {
            fault.EnsureSuccessStatusCode();
        }
        var calls = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DrillApp.CallAsync(app, DemoCustomer.Phone, "2", "1")));
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(90));
        var deadLettered = host.DeadLettered;
        (await admin.DeleteAsync(new Uri("/admin/faults", UriKind.Relative))).EnsureSuccessStatusCode();

        clock.Skip(TimeSpan.FromMinutes(5));
        Assert.Equal(200, await DrillApp.SweepAsync(app));
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            DemoCustomer.ContactId, Path.Combine(folder, "tickets"));
        var report = ledger.Report(
            $"ERP commit failing until dead-lettered ({host.MaxDeliveryCount} deliveries each), then lifted",
            calls);
        output.WriteLine(report.Append());
        foreach (var order in ledger.Orders) output.WriteLine($"{order.Call.CallId}: accepted={order.Accepted} tx={order.TransactionId} status={order.Status} erp={order.ErpOrders}");
        foreach (var dead in deadLettered) output.WriteLine($"dead letter: {dead}");
        output.WriteLine("escalations: " + string.Join(", ", ledger.EscalationIds));

        DrillAssert.Holds(report, ledger);
        Assert.All(calls, c => Assert.True(c.Heard(DrillApp.AcceptedPrompt), "prepares work, so every caller hears 'accepted'"));
        Assert.Equal(ledger.Orders.Select(o => o.TransactionId).Order(),
            deadLettered.Where(d => d.Queue == QueueNames.OrderCommits).Select(d => (string?)d.MessageId).Order());
        Assert.All(ledger.Orders, o => Assert.Contains("dead-lettered-" + o.TransactionId, ledger.EscalationIds));
        Assert.Equal(calls.Length, ledger.CommittedOnce);
        Assert.DoesNotContain(ledger.EscalationIds, id => id.StartsWith("commit-failed-", StringComparison.Ordinal));
        Assert.Equal(0, host.Parked);
        var commits = host.Deliveries.Where(d => d.Queue == QueueNames.OrderCommits).GroupBy(d => d.MessageId).ToList();
        Assert.All(commits, c => Assert.Equal(Enumerable.Range(1, host.MaxDeliveryCount), c.Where(d => d.Failed).Select(d => d.DeliveryCount).Order()));
        DrillAssert.FailuresHeldForTheirRetryDelay(host);
    }
}
