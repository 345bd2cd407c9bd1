using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Integration;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Fault drill: the app is configured for Service Bus (the in-process fake namespace behind a proxy, delivered to the
/// app's functions as the Functions host does) and the namespace hangs for a while: connections are accepted and sends
/// read, but nothing is answered (pooled connections too), until it answers again. Six callers order (two before, two
/// during, two after the hang); two more ask to be called back during it. Orders:SendTimeout and
/// Calls:QueueSendTimeoutMs (1 s each) are what keeps the callers' answers in budget; the call backs are parked in the
/// state storage and sent by the outbox sweep once the namespace answers again.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusHangDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    [Fact]
    public async Task ServiceBusSendsHanging_ValidAnswersInBudgetAndEveryOrderAcceptedAndCommittedOnceAfterRecovery()
    {
        await using var bus = await FakeServiceBusServer.StartAsync(QueueNames.WorkQueues.Append(QueueNames.DeadLetters));
        await using var proxy = CuttableTcpProxy.Start(bus.Port);
        bus.FrontPort = proxy.Port;
        var folder = DrillApp.NewFolder("servicebus-hang");
        var clock = new ShiftedTimeProvider();
        await using var app = DrillApp.CreateOnServiceBus(erp, folder, clock, azurite.ConnectionString, bus);
        await using var host = new ServiceBusTriggerHost(bus, app);
        await DrillApp.CallAsync(app, DemoCustomer.Phone); // warm-up, not counted

        var orders = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DrillApp.CallAsync(app, DemoCustomer.Phone, "2")));
        var callbacks = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => DrillApp.CallAsync(app, DrillApp.EmailRepCustomerPhone, "9")));
        Assert.All(orders, c => Assert.Equal("124", c.Last.Prompt));
        var (before, during, after) = (orders[..2], orders[2..4], orders[4..]);

        await Task.WhenAll(before.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        proxy.Hang();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(during.Concat(callbacks).Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        proxy.Restore();
        outage.Stop();
        await Task.WhenAll(after.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));

        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));
        // Past Orders:ResendAfter: the sweep sends the commits whose send timed out.
        clock.Skip(TimeSpan.FromMinutes(2));
        Assert.Equal(200, await DrillApp.SweepAsync(app));
        await host.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var calls = orders.Concat(callbacks).ToList();
        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            DemoCustomer.ContactId, Path.Combine(folder, "tickets"));
        var report = ledger.Report(
            $"Service Bus hanging (namespace accepting connections, answering no send {outage.ElapsedMilliseconds} ms)",
            calls);
        output.WriteLine(report.Append());
        foreach (var call in calls) output.WriteLine($"{call.CallId}: heard={string.Join(",", call.Answers.Select(a => a.ActionType + ":" + a.Prompt + "@" + a.ElapsedMs.ToString("0")))}");
        foreach (var order in ledger.Orders) output.WriteLine($"{order.Call.CallId}: accepted={order.Accepted} tx={order.TransactionId} status={order.Status} erp={order.ErpOrders}");
        foreach (var dead in host.DeadLettered) output.WriteLine($"dead letter: {dead}");
        output.WriteLine("escalations: " + string.Join(", ", ledger.EscalationIds));
        output.WriteLine("still parked: " + string.Join(", ", ledger.StillParked));

        DrillAssert.Holds(report, ledger);
        Assert.Equal(0, host.Parked);
        DrillAssert.FailuresHeldForTheirRetryDelay(host);
        // The outbox (Azurite) answers throughout, so every order stands: the send times out, the sweep sends it later.
        Assert.All(orders, c => Assert.True(c.Heard(DrillApp.AcceptedPrompt), "the order was in the outbox; only its send hung"));
        Assert.Equal(orders.Length, ledger.CommittedOnce);
        DrillAssert.NothingRaisedDuringTheOutageLost(callbacks, ledger);
    }
}
