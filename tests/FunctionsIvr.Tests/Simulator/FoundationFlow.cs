using System.Globalization;
using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Tests.Simulator;

/// <summary>
/// The first flow of the flow spec, written small and independently for the tests: greeting, a one-key menu with
/// three attempts, then agent -> team queue -> "sorry" and hang up. State travels in Session only, so it is
/// naturally idempotent.
/// </summary>
public sealed class FoundationFlow
{
    public const string AgentLogin = "agent_default";
    public const string TeamQueue = "kolejka_sprzedaz";

    public static readonly PromptMap Prompts = new(
    [
        new("welcome", "1"), new("main_menu", "2"), new("menu_retry", "3"), new("apology", "8"), new("sorry_unavailable", "9"),
    ]);

    /// <summary>Answer first (panel auto-answer = 0) instead of going straight to the greeting.</summary>
    public bool AnswerFirst { get; init; }

    /// <summary>When set, only callbacks carrying this Hash are served; others get 403.</summary>
    public string? Hash { get; init; }

    /// <summary>A deliberate mistake: the apology prompt where "sorry, nobody is available" belongs.</summary>
    public bool WrongGoodbyePrompt { get; init; }

    public FakeReply Respond(ReceivedCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (Hash is not null && callback.Hash != Hash)
        {
            return new FakeReply(403, ContentType: null);
        }

        return callback.Step switch
        {
            null when AnswerFirst => FakeReply.Action("""{"Type":"Answer"}""", Session("answered")),
            null or "answered" => FakeReply.Play("1", Session("welcome")),
            "welcome" => Menu("2", tries: 1),
            "menu" when callback.EventData == "0" || callback.Tries >= 3 => Dial(AgentLogin, 15, "transfer_agent"),
            "menu" => Menu("3", callback.Tries + 1),
            "transfer_agent" when callback.EventData == "Answer" => FakeReply.Hangup(Session("end")),
            "transfer_agent" => Dial(TeamQueue, 30, "transfer_queue"),
            "transfer_queue" when callback.EventData == "Answer" => FakeReply.Hangup(Session("end")),
            "transfer_queue" => FakeReply.Play(WrongGoodbyePrompt ? "8" : "9", Session("goodbye")),
            "goodbye" => FakeReply.Hangup(Session("end")),
            _ => FakeReply.Play("8", Session("goodbye")),
        };
    }

    private static FakeReply Menu(string prompt, int tries) =>
        FakeReply.Action($$"""{"Type":"GetDTMF","Prompt":"{{prompt}}","Timeout":"5000","MaxDigits":"1"}""", Session("menu", tries));

    private static FakeReply Dial(string login, int seconds, string step) =>
        FakeReply.Action(
            $$"""{"Type":"CallByObjectLogin","Destination":"{{login}}","Options":"PlayCallStatus,RingTones,Timeout={{seconds}}"}""",
            Session(step));

    private static string Session(string step, int tries = 0) =>
        $$"""{"step":"{{step}}","tries":{{tries.ToString(CultureInfo.InvariantCulture)}}}""";
}
