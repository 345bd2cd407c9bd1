namespace FunctionsIvr.Calls;

/// <summary>Collects the steps and prompt names of every flow module into one <see cref="CallFlow"/>.</summary>
public sealed class FlowBuilder
{
    private readonly Dictionary<string, FlowStep> _steps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _prompts = new(StringComparer.Ordinal);
    private readonly List<(string Step, string Setting)> _configuredTargets = [];

    public StepBuilder Step(string name)
    {
        if (_steps.ContainsKey(name)) throw new InvalidOperationException($"Step '{name}' is defined twice.");
        var step = new FlowStep(name);
        _steps.Add(name, step);
        return new StepBuilder(step);
    }

    /// <summary>A keypad menu: asks with <paramref name="prompt"/>, re-asks with <paramref name="retryPrompt"/> after a wrong key or silence.</summary>
    public MenuBuilder Menu(string name, string prompt, string retryPrompt, int timeoutMs = 5000)
    {
        UsesPrompts(prompt, retryPrompt);
        return new MenuBuilder(Step(name), prompt, retryPrompt, timeoutMs);
    }

    /// <summary>Declares the prompts a module plays, so a missing panel mapping fails at startup, not mid-call.</summary>
    public FlowBuilder UsesPrompts(params string[] names)
    {
        foreach (var name in names) _prompts.Add(name);
        return this;
    }

    /// <summary>
    /// A step the flow goes to because a setting names it: checked at startup, so a misspelt name fails there, naming
    /// <paramref name="setting"/>, instead of sending every call that reaches it to the apology.
    /// </summary>
    public FlowBuilder GoesTo(string step, string setting)
    {
        _configuredTargets.Add((step, setting));
        return this;
    }

    public CallFlow Build()
    {
        foreach (var step in _steps.Values)
        {
            if (step.ExhaustedStep is { } exhausted && !_steps.ContainsKey(exhausted))
                throw new InvalidOperationException($"Step '{step.Name}' goes to unknown step '{exhausted}' when exhausted.");
        }

        foreach (var (target, setting) in _configuredTargets)
        {
            if (!_steps.ContainsKey(target))
                throw new InvalidOperationException($"{setting} is '{target}', which is no step of the call flow (e.g. {Steps.MainMenu}, {Steps.Offers}, {Steps.TopProducts}).");
        }

        foreach (var required in CallFlow.RequiredSteps)
        {
            if (!_steps.ContainsKey(required)) throw new InvalidOperationException($"The flow has no '{required}' step.");
        }

        return new CallFlow(_steps, _prompts);
    }
}
