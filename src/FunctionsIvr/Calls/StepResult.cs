using FunctionsIvr.Ivr;

namespace FunctionsIvr.Calls;

/// <summary>What a step decided: answer the platform and wait here, move to another step, or try this step again.</summary>
public abstract record StepResult
{
    private StepResult()
    {
    }

    /// <summary>Answer with <paramref name="Action"/>; the call waits in the current step for its result.</summary>
    public sealed record Reply(IvrAction Action) : StepResult;

    /// <summary>Continue in <paramref name="Step"/> within the same callback.</summary>
    public sealed record Goto(string Step) : StepResult;

    /// <summary>The input was not usable: enter this step again, or leave for its exhausted step after too many tries.</summary>
    public sealed record Retry(string Reason) : StepResult;
}
