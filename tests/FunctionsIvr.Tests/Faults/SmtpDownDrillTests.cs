using System.Globalization;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Escalations;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Fault drill: escalations go by e-mail over real SMTP (the rep of the DemoErp's customer c-1005 prefers e-mail) and
/// the SMTP server is down for a while. Six callers ask to be called back: two before, two during, two after.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmtpDownDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    [Fact]
    public async Task SmtpDown_EveryPromisedCallBackReachesAPerson()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var relay = CuttableTcpProxy.Start(smtp.Port);
        var folder = DrillApp.NewFolder("smtp");
        var clock = new ShiftedTimeProvider();
        await using var app = DrillApp.Create(erp, folder, clock, new()
        {
            ["StateStorage"] = azurite.ConnectionString,
            ["Escalations:Email:Host"] = "127.0.0.1",
            ["Escalations:Email:Port"] = relay.Port.ToString(CultureInfo.InvariantCulture),
            ["Escalations:Email:EnableSsl"] = "false",
            ["Escalations:Email:Timeout"] = "00:00:05",
        });
        var queue = app.Services.GetRequiredService<InProcessWorkQueue>();
        await DrillApp.CallAsync(app, DrillApp.EmailRepCustomerPhone); // warm-up, not counted

        var calls = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DrillApp.CallAsync(app, DrillApp.EmailRepCustomerPhone, "9")));
        Assert.All(calls, c => Assert.Equal("79", c.Last.Prompt));
        var (before, during, after) = (calls[..2], calls[2..4], calls[4..]);

        await Task.WhenAll(before.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        await queue.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        relay.Cut();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(during.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        // Down until their escalations are through: the retries the dispatcher gives e-mail, then the other channel and the ticket.
        Assert.True(await DrillApp.WaitForCallbackTicketsAsync(folder, during, TimeSpan.FromSeconds(30)), "the escalations raised while SMTP was down were ticketed");
        relay.Restore();
        outage.Stop();
        await Task.WhenAll(after.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        await queue.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            "c-1005", Path.Combine(folder, "tickets"));
        var mailed = calls.Count(c => smtp.Messages.Any(m => m.Raw.Contains("callback-requested-" + c.CallId, StringComparison.Ordinal)));
        var whatsapp = Directory.Exists(Path.Combine(folder, "whatsapp")) ? Directory.GetFiles(Path.Combine(folder, "whatsapp"), "*.json").Length : 0;
        var report = new FaultDrillReport
        {
            Fault = $"SMTP down (relay refusing connections {outage.ElapsedMilliseconds} ms)",
            Calls = calls,
            Escalations = $"{ledger.DescribeEscalations()}; rep told by e-mail {mailed}, by WhatsApp instead {whatsapp}",
            PromptNames = DrillApp.PromptNames,
        };
        output.WriteLine(report.Append());
        foreach (var call in calls) output.WriteLine($"{call.CallId}: heard={string.Join(",", call.Answers.Select(a => a.ActionType + ":" + a.Prompt + "@" + a.ElapsedMs.ToString("0")))}");
        foreach (var dead in queue.DeadLetters) output.WriteLine($"dead letter: {dead.QueueName} {dead.Reason}");

        DrillAssert.Holds(report, ledger);
        Assert.All(calls, c => Assert.True(c.Heard(DrillApp.CallbackPromisedPrompt), "the call back is promised whatever SMTP does"));
        Assert.Empty(queue.DeadLetters);
        Assert.Equal(calls.Length, mailed + whatsapp);
    }
}
