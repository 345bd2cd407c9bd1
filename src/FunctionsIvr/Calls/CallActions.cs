using System.Globalization;
using FunctionsIvr.Ivr;

namespace FunctionsIvr.Calls;

/// <summary>
/// Turns what a flow means (a prompt by name, a number to say) into the platform's action: the panel's prompt
/// number and the configured parameter name of each Say* action.
/// </summary>
public sealed class CallActions(IReadOnlyDictionary<string, string> promptNumbers, Func<string, string> sayParameterName)
{
    public string PromptNumber(string prompt) =>
        promptNumbers.TryGetValue(prompt, out var number)
            ? number
            : throw new InvalidOperationException($"Prompt '{prompt}' has no panel number: set Prompts:{prompt} (env Prompts__{prompt}).");

    public IvrAction Play(string prompt) => IvrAction.Play(PromptNumber(prompt));

    public IvrAction Ask(string prompt, int maxDigits, int timeoutMs) => IvrAction.GetDtmf(PromptNumber(prompt), timeoutMs, maxDigits);

    public IvrAction SayNumber(long value) => Say(IvrActionTypes.SayNumber, value.ToString(CultureInfo.InvariantCulture));

    public IvrAction SayDigits(string digits) => Say(IvrActionTypes.SayDigits, digits);

    public IvrAction SayDate(DateOnly date) => Say(IvrActionTypes.SayDate, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public IvrAction SayTime(TimeOnly time) => Say(IvrActionTypes.SayTime, time.ToString("HH:mm", CultureInfo.InvariantCulture));

    private IvrAction Say(string type, string value) => IvrAction.Say(type, sayParameterName(type), value);
}
