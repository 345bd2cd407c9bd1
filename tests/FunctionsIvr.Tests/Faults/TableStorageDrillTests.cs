using System.Net.Http.Json;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Integration;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Fault drill: Table Storage (call state, call log, outbox on Azurite) fails in the middle of calls and comes back:
/// down (connections refused, open ones reset) or hanging (connections accepted and requests read, nothing answered,
/// until it answers again and the held requests go through). Six callers reach "confirm your order?" with storage
/// answering; two confirm just before the fault (their commits, slowed to a second in the ERP, finish during it), two
/// confirm during it (and the first two ask for their order status, kept in call state), two confirm after it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    public enum StorageFault
    {
        Down,
        Hanging,
    }

    [Theory]
    [InlineData(StorageFault.Down)]
    [InlineData(StorageFault.Hanging)]
    public async Task TableStorageFails_MidCall_ValidAnswersInBudgetAndEveryAcceptedOrderCommittedOnce(StorageFault fault)
    {
        // Both faults run against one DemoErp: each starts from its seeded stock and orders.
        using var admin = erp.Admin();
        (await admin.PostAsync("/admin/reset", content: null)).EnsureSuccessStatusCode();
        await using var storage = CuttableTcpProxy.Start(azurite.Endpoint.Port);
        var hanging = fault == StorageFault.Hanging;
        var folder = DrillApp.NewFolder(hanging ? "tables-hang" : "tables");
        var clock = new ShiftedTimeProvider();
        await using var app = DrillApp.Create(erp, folder, clock, new() { ["StateStorage"] = DrillApp.StorageAt(storage.Port) });
        await DrillApp.CallAsync(app, DemoCustomer.Phone); // warm-up, not counted

        var calls = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DrillApp.CallAsync(app, DemoCustomer.Phone, "2")));
        Assert.All(calls, c => Assert.Equal("124", c.Last.Prompt));
        var (before, during, after) = (calls[..2], calls[2..4], calls[4..]);

        // Commits take a second in the ERP, so the first two callers' commits are still running when storage fails.
        (await admin.PostAsJsonAsync("/admin/faults", new { pathFaults = new[] { new { prefix = "/transactions/", latencyMs = 1000 } } })).EnsureSuccessStatusCode();
        await Task.WhenAll(before.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        if (hanging) storage.Hang();
        else storage.Cut();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(during.Select(c => c.PressAsync("1", DrillApp.HoldPrompt))
            .Concat(before.Select(c => c.PressAsync("1", DrillApp.HoldPrompt))));
        // A hang: a generous moment for the proxy to see the requests the app gave up on closed, so none reaches Azurite late.
        if (hanging) await Task.Delay(500);
        storage.Restore();
        outage.Stop();
        (await admin.DeleteAsync(new Uri("/admin/faults", UriKind.Relative))).EnsureSuccessStatusCode();
        await Task.WhenAll(after.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));

        var queue = app.Services.GetRequiredService<InProcessWorkQueue>();
        await queue.WaitForIdleAsync(TimeSpan.FromSeconds(60));
        // Past Orders:ResendAfter and the reservations' expiry: the sweep records what storage could not record at the time.
        clock.Skip(TimeSpan.FromMinutes(12));
        Assert.Equal(200, await DrillApp.SweepAsync(app));
        await queue.WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            DemoCustomer.ContactId, Path.Combine(folder, "tickets"));
        var report = ledger.Report(
            hanging
                ? $"Table Storage hanging mid-call (Azurite accepting connections, answering nothing {outage.ElapsedMilliseconds} ms)"
                : $"Table Storage down mid-call (Azurite refusing connections {outage.ElapsedMilliseconds} ms)",
            calls);
        output.WriteLine(report.Append());
        foreach (var order in ledger.Orders) output.WriteLine($"{order.Call.CallId}: accepted={order.Accepted} tx={order.TransactionId} status={order.Status} erp={order.ErpOrders} heard={string.Join(",", order.Call.Answers.Select(a => a.ActionType + ":" + a.Prompt + "@" + a.ElapsedMs.ToString("0")))}");
        foreach (var dead in queue.DeadLetters) output.WriteLine($"dead letter: {dead.QueueName} {dead.Reason}");

        DrillAssert.Holds(report, ledger);
        Assert.All(before.Concat(after), c => Assert.True(c.Heard(DrillApp.AcceptedPrompt), "storage was answering when they confirmed"));
    }
}
