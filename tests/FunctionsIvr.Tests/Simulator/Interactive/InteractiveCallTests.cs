using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Interactive;
using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Tests.Simulator.Interactive;

public class InteractiveCallTests
{
    [Fact]
    public async Task Run_LinesOnStdin_DriveTheCallAndEveryActionIsPrinted()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        using var output = new StringWriter();
        // timeout, then 0 for a person; the agent is busy (by name), the queue rings out (by number).
        using var input = new StringReader("\n0\nbusy\n3\n");

        var clean = await Call(webhook, input, output).RunAsync();

        var text = output.ToString();
        Assert.True(clean);
        Assert.Contains("▶ Play prompt 1 (welcome)", text, StringComparison.Ordinal);
        Assert.Contains("⌨ GetDTMF prompt 2 (main_menu): up to 1 digit, 5000 ms per digit", text, StringComparison.Ordinal);
        Assert.Contains("⌨ GetDTMF prompt 3 (menu_retry): up to 1 digit, 5000 ms per digit", text, StringComparison.Ordinal);
        Assert.Contains("☎ CallByObjectLogin agent_default (ring 15 s)", text, StringComparison.Ordinal);
        Assert.Contains("☎ CallByObjectLogin kolejka_sprzedaz (ring 30 s)", text, StringComparison.Ordinal);
        Assert.Contains("▶ Play prompt 9 (sorry_unavailable)", text, StringComparison.Ordinal);
        Assert.Contains("call ended: Hangup after 7 callbacks", text, StringComparison.Ordinal);
        Assert.Equal(["", "0", "Busy", "Noanswer"],
            webhook.Received.Where(r => r.EventName is "GetDTMF" or "CallStatus").Select(r => r.EventData));
    }

    [Fact]
    public async Task Run_EndOfInput_IsTheCallerHangingUp()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        using var output = new StringWriter();

        await Call(webhook, new StringReader(""), output).RunAsync();

        Assert.Contains("the caller hung up", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, webhook.Received.Count);
    }

    [Fact]
    public async Task Run_InvalidAnswer_IsShownAndReportedAsNotClean()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => new FakeReply(Body: """{"Action":{"Type":"Play","Prompt":1}}"""));
        using var output = new StringWriter();

        var clean = await Call(webhook, new StringReader(""), output).RunAsync();

        Assert.False(clean);
        Assert.Contains("✘ Prompt must be a JSON string, got number 1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadCallStatus_ErrorWithCodeAndMessage_AddsThePlatformErrorObject()
    {
        var call = new AnsweredAction("CallByObjectLogin", [new("Destination", "agent_default")]);
        using var output = new StringWriter();
        var input = new LineCallerInput(new StringReader("ringing\nerror 4 no SIP account\n"), output);

        var choice = await input.ReadCallStatusAsync(call, CancellationToken.None);

        Assert.Equal(CallInput.CallStatus("Error", new PlatformError("4", "no SIP account")), choice);
        Assert.Contains("'ringing' is not a call status", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void KeypadDigits_MoreThanMaxDigits_AreCutAsThePlatformStopsCollecting()
    {
        var menu = new AnsweredAction("GetDTMF", [new("Prompt", "2"), new("Timeout", "5000"), new("MaxDigits", "2")]);

        Assert.Equal("12", CallerChoices.KeypadDigits(" 1 2 3 ", menu));
        Assert.Equal("*#", CallerChoices.KeypadDigits("*#", menu));
    }

    private static InteractiveCall Call(FakeWebhook webhook, TextReader input, StringWriter output)
    {
        var console = SimulatorParts.Console(output);
        return new InteractiveCall(
            SimulatorParts.Driver(webhook),
            new LineCallerInput(input, output),
            new ExchangePrinter(console, new ActionDescriber(FoundationFlow.Prompts)),
            console);
    }
}
