using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Integration;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Fault drill: the app is configured for Service Bus (the in-process fake namespace, delivered to the app's functions
/// as the Functions host does) and every send fails with 503 for a while. Six callers order (two before, two during,
/// two after the outage); two more ask to be called back during it. Their escalations are parked in the state storage
/// (Azurite) and sent by the outbox sweep after the outage: they are promised a call back and get one.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusSendDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    [Fact]
    public async Task ServiceBusSendsFailing_ValidAnswersInBudgetAndEveryAcceptedOrderCommittedOnceAfterRecovery()
    {
        await using var bus = await FakeServiceBusServer.StartAsync(QueueNames.WorkQueues.Append(QueueNames.DeadLetters));
        var folder = DrillApp.NewFolder("servicebus");
        var clock = new ShiftedTimeProvider();
        await using var app = DrillApp.CreateOnServiceBus(erp, folder, clock, azurite.ConnectionString, bus);
        await using var host = new ServiceBusTriggerHost(bus, app);
        await DrillApp.CallAsync(app, DemoCustomer.Phone); // warm-up, not counted

        var orders = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DrillApp.CallAsync(app, DemoCustomer.Phone, "2")));
        var callbacks = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => DrillApp.CallAsync(app, DrillApp.EmailRepCustomerPhone, "9")));
        Assert.All(orders, c => Assert.Equal("124", c.Last.Prompt));
        var (before, during, after) = (orders[..2], orders[2..4], orders[4..]);

        await Task.WhenAll(before.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        bus.OutageStatus = 503;
        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(during.Concat(callbacks).Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        bus.OutageStatus = null;
        outage.Stop();
        await Task.WhenAll(after.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));

        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));
        // The queue took none of the call backs made during the outage: they wait, parked, for the sweep.
        Assert.DoesNotContain(callbacks, c => File.Exists(Path.Combine(folder, "tickets", "callback-requested-" + c.CallId + ".json")));
        clock.Skip(TimeSpan.FromMinutes(2));
        Assert.Equal(200, await DrillApp.SweepAsync(app));
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var calls = orders.Concat(callbacks).ToList();
        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            DemoCustomer.ContactId, Path.Combine(folder, "tickets"));
        var report = ledger.Report(
            $"Service Bus sends failing (503 on every send for {outage.ElapsedMilliseconds} ms)",
            calls);
        output.WriteLine(report.Append());
        foreach (var order in ledger.Orders) output.WriteLine($"{order.Call.CallId}: accepted={order.Accepted} tx={order.TransactionId} status={order.Status} erp={order.ErpOrders} heard={string.Join(",", order.Call.Answers.Select(a => a.ActionType + ":" + a.Prompt + "@" + a.ElapsedMs.ToString("0")))}");
        foreach (var dead in host.DeadLettered) output.WriteLine($"dead letter: {dead}");
        output.WriteLine("escalations: " + string.Join(", ", ledger.EscalationIds));

        output.WriteLine("still parked: " + string.Join(", ", ledger.StillParked));

        DrillAssert.Holds(report, ledger);
        Assert.Equal(0, host.Parked);
        DrillAssert.FailuresHeldForTheirRetryDelay(host);
        Assert.All(before.Concat(after), c => Assert.True(c.Heard(DrillApp.AcceptedPrompt), "the queue was up when they confirmed"));
        DrillAssert.NothingRaisedDuringTheOutageLost(callbacks, ledger);
    }
}
