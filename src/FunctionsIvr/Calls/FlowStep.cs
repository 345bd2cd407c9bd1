namespace FunctionsIvr.Calls;

/// <summary>
/// One state of a call. <see cref="Enter"/> runs when the call arrives in the step and usually answers with an action;
/// <see cref="Resume"/> runs on the next callback, with that action's result (digits, call status), and decides where to go.
/// </summary>
public sealed class FlowStep
{
    internal FlowStep(string name) => Name = name;

    public string Name { get; }

    internal Func<CallContext, ValueTask<StepResult>> Enter { get; set; } =
        _ => throw new InvalidOperationException("step has no Enter");

    internal Func<CallContext, ValueTask<StepResult>> Resume { get; set; } =
        _ => throw new InvalidOperationException("step has no Resume");

    /// <summary>Attempts allowed before <see cref="ExhaustedStep"/> (re-asks after bad input, holding prompts).</summary>
    public int MaxTries { get; internal set; } = 3;

    public string? ExhaustedStep { get; internal set; }
}
