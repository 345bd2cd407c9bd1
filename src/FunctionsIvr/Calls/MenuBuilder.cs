namespace FunctionsIvr.Calls;

/// <summary>
/// A one-key menu. Choices map keys to steps; a wrong key or no key re-asks with the retry prompt, and after the
/// last try the call goes to the exhausted step (the platform's advice: a silent menu ends at a person).
/// </summary>
public sealed class MenuBuilder
{
    private readonly Dictionary<string, Func<CallContext, string>> _choices = new(StringComparer.Ordinal);
    private readonly StepBuilder _step;

    internal MenuBuilder(StepBuilder step, string prompt, string retryPrompt, int timeoutMs)
    {
        _step = step;
        step.Enter(ctx => ctx.Ask(ctx.Tries == 0 ? prompt : retryPrompt, maxDigits: 1, timeoutMs));
        step.Resume(ctx =>
            ctx.Digits is { } key && _choices.TryGetValue(key, out var target)
                ? new StepResult.Goto(target(ctx))
                : new StepResult.Retry(ctx.Digits is null ? "no key pressed" : "key not in menu"));
    }

    public MenuBuilder On(char key, string step) => On(key, _ => step);

    /// <summary>A choice whose target depends on the call (e.g. VIPs reach their account manager).</summary>
    public MenuBuilder On(char key, Func<CallContext, string> step)
    {
        _choices[key.ToString()] = step;
        return this;
    }

    public MenuBuilder MaxTries(int tries, string thenGoTo)
    {
        _step.MaxTries(tries, thenGoTo);
        return this;
    }
}
