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
/// the SMTP relay hangs for a while: it accepts the connection and never says a word (not even its greeting). Six
/// callers ask to be called back: two before, two during, two after. Escalations:Email:Timeout (2 s here) is what ends
/// each hung send, so the dispatcher's retries and then its fallback to WhatsApp and the ticket go on while it hangs.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmtpHangDrillTests(AzuriteFixture azurite, DemoErpHost erp, ITestOutputHelper output)
    : IClassFixture<DemoErpHost>
{
    [Fact]
    public async Task SmtpHanging_SendsTimeOutAndEveryPromisedCallBackReachesAPerson()
    {
        await using var smtp = SmtpTestServer.Start();
        await using var relay = CuttableTcpProxy.Start(smtp.Port);
        var folder = DrillApp.NewFolder("smtp-hang");
        var clock = new ShiftedTimeProvider();
        await using var app = DrillApp.Create(erp, folder, clock, new()
        {
            ["StateStorage"] = azurite.ConnectionString,
            ["Escalations:Email:Host"] = "127.0.0.1",
            ["Escalations:Email:Port"] = relay.Port.ToString(CultureInfo.InvariantCulture),
            ["Escalations:Email:EnableSsl"] = "false",
            ["Escalations:Email:Timeout"] = "00:00:02",
        });
        var queue = app.Services.GetRequiredService<InProcessWorkQueue>();
        await DrillApp.CallAsync(app, DrillApp.EmailRepCustomerPhone); // warm-up, not counted

        var calls = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => DrillApp.CallAsync(app, DrillApp.EmailRepCustomerPhone, "9")));
        Assert.All(calls, c => Assert.Equal("79", c.Last.Prompt));
        var (before, during, after) = (calls[..2], calls[2..4], calls[4..]);

        await Task.WhenAll(before.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        await queue.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        relay.Hang();
        var outage = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(during.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        // Hung until their escalations are through: only a send that ends (Email:Timeout) lets the retries and the
        // fallback happen, so a send that waited for the relay would fail the drill here.
        var ticketed = await DrillApp.WaitForCallbackTicketsAsync(folder, during, TimeSpan.FromSeconds(60));
        relay.Restore();
        outage.Stop();
        await Task.WhenAll(after.Select(c => c.PressAsync("1", DrillApp.HoldPrompt)));
        // Every escalation ticketed (an idle queue can still hold a retry that is not due yet), then nothing left to do.
        var allTicketed = await DrillApp.WaitForCallbackTicketsAsync(folder, calls, TimeSpan.FromSeconds(60));
        await queue.WaitForIdleAsync(TimeSpan.FromSeconds(30));

        var ledger = await DrillLedger.ReadAsync(calls, DrillApp.AcceptedPrompt, azurite.CreateServiceClient(), erp.CreateClient(),
            "c-1005", Path.Combine(folder, "tickets"));
        bool Mailed(DrillCall c) => smtp.Messages.Any(m => m.Raw.Contains("callback-requested-" + c.CallId, StringComparison.Ordinal));
        bool WhatsApped(DrillCall c) => File.Exists(Path.Combine(folder, "whatsapp", "callback-requested-" + c.CallId + ".json"));
        var whatsappFiles = Directory.Exists(Path.Combine(folder, "whatsapp")) ? Directory.GetFiles(Path.Combine(folder, "whatsapp"), "*.json").Length : 0;
        var report = new FaultDrillReport
        {
            Fault = $"SMTP hanging (relay accepting connections, answering nothing {outage.ElapsedMilliseconds} ms)",
            Calls = calls,
            Escalations = $"{ledger.DescribeEscalations()}; rep told by e-mail {calls.Count(Mailed)}, by WhatsApp instead {whatsappFiles}",
            PromptNames = DrillApp.PromptNames,
        };
        output.WriteLine(report.Append());
        foreach (var call in calls) output.WriteLine($"{call.CallId}: mailed={Mailed(call)} whatsapp={WhatsApped(call)} heard={string.Join(",", call.Answers.Select(a => a.ActionType + ":" + a.Prompt + "@" + a.ElapsedMs.ToString("0")))}");
        foreach (var file in Directory.Exists(Path.Combine(folder, "whatsapp")) ? Directory.GetFiles(Path.Combine(folder, "whatsapp")) : []) output.WriteLine("whatsapp: " + Path.GetFileName(file));
        foreach (var dead in queue.DeadLetters) output.WriteLine($"dead letter: {dead.QueueName} {dead.Reason}");

        Assert.True(ticketed, "the escalations raised while SMTP hung were ticketed while it still hung (each send ended after Email:Timeout)");
        Assert.True(allTicketed, "every escalation was ticketed within a minute");
        DrillAssert.Holds(report, ledger);
        Assert.All(calls, c => Assert.True(c.Heard(DrillApp.CallbackPromisedPrompt), "the call back is promised whatever SMTP does"));
        Assert.Empty(queue.DeadLetters);
        Assert.All(during, c => Assert.True(WhatsApped(c) && !Mailed(c), "while SMTP hung the rep was told by WhatsApp instead"));
        Assert.All(before.Concat(after), c => Assert.True(Mailed(c), "SMTP answered when they asked"));
    }
}
