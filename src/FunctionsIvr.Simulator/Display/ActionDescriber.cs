using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Simulator.Display;

/// <summary>Turns an action into one line a person understands, prompt numbers shown with their names.</summary>
public sealed class ActionDescriber(PromptMap prompts)
{
    public string Describe(AnsweredAction action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return action.Type switch
        {
            ActionTypes.Answer => "📞 Answer",
            ActionTypes.DontAnswer => "🚫 DontAnswer: the call is not picked up",
            ActionTypes.Hangup => "📴 Hangup",
            ActionTypes.Play => $"▶ Play prompt {Prompt(action)}",
            ActionTypes.GetDtmf => $"⌨ GetDTMF prompt {Prompt(action)}: up to {Digits(action["MaxDigits"])}, {action["Timeout"] ?? "?"} ms per digit",
            ActionTypes.Wait => $"⏳ Wait {action["WaitTime"] ?? "?"} s",
            ActionTypes.CallExternalNumber or ActionTypes.CallLocalNumber or ActionTypes.CallByObjectLogin =>
                $"☎ {action.Type} {action["Destination"] ?? "(no destination)"}"
                + (action.RingTimeoutSeconds is { } ring ? $" (ring {ring} s)" : ""),
            ActionTypes.SayNumber or ActionTypes.SayDigits => $"🔢 {action.Type} {SayValue(action)}",
            ActionTypes.SayDate => $"📅 SayDate {SayValue(action)}",
            ActionTypes.SayTime => $"🕒 SayTime {SayValue(action)}",
            _ => "❓ " + action,
        };
    }

    private string Prompt(AnsweredAction action) => action["Prompt"] is { } number ? prompts.Describe(number) : "(none)";

    private static string Digits(string? maxDigits) => maxDigits switch
    {
        null => "? digits",
        "1" => "1 digit",
        _ => maxDigits + " digits",
    };

    private static string SayValue(AnsweredAction action) =>
        action.Parameters.Count == 0 ? "(no value)" : string.Join(", ", action.Parameters.Select(p => p.Value));
}
