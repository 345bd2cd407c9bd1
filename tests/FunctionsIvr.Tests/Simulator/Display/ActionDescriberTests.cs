using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Tests.Simulator.Display;

public class ActionDescriberTests
{
    private static readonly ActionDescriber Describer = new(new PromptMap([new("welcome", "1"), new("main_menu", "2")]));

    [Theory]
    [InlineData("Play", "Prompt=1", "▶ Play prompt 1 (welcome)")]
    [InlineData("Play", "Prompt=7", "▶ Play prompt 7")]
    [InlineData("GetDTMF", "Prompt=2;Timeout=5000;MaxDigits=1", "⌨ GetDTMF prompt 2 (main_menu): up to 1 digit, 5000 ms per digit")]
    [InlineData("GetDTMF", "Prompt=2;Timeout=3000;MaxDigits=10", "⌨ GetDTMF prompt 2 (main_menu): up to 10 digits, 3000 ms per digit")]
    [InlineData("CallByObjectLogin", "Destination=am_nowak;Options=PlayCallStatus,RingTones,Timeout=15", "☎ CallByObjectLogin am_nowak (ring 15 s)")]
    [InlineData("CallExternalNumber", "Destination=501234567", "☎ CallExternalNumber 501234567")]
    [InlineData("SayNumber", "Value=1250", "🔢 SayNumber 1250")]
    [InlineData("SayDate", "Date=2025-01-31", "📅 SayDate 2025-01-31")]
    [InlineData("SayTime", "Time=14:30", "🕒 SayTime 14:30")]
    [InlineData("Wait", "WaitTime=2", "⏳ Wait 2 s")]
    [InlineData("Answer", "", "📞 Answer")]
    [InlineData("Hangup", "", "📴 Hangup")]
    public void Describe_Action_ReadsAsAPersonWouldSayIt(string type, string parameters, string expected)
    {
        var action = new AnsweredAction(type, parameters.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1])).ToList());

        Assert.Equal(expected, Describer.Describe(action));
    }
}
