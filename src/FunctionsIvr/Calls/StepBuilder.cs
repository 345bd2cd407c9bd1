using FunctionsIvr.Ivr;

namespace FunctionsIvr.Calls;

/// <summary>Fluent description of one step, so a flow reads top to bottom: enter with an action, then where each result goes.</summary>
public sealed class StepBuilder
{
    private readonly FlowStep _step;

    internal StepBuilder(FlowStep step) => _step = step;

    public StepBuilder Enter(Func<CallContext, StepResult> enter)
    {
        _step.Enter = ctx => ValueTask.FromResult(enter(ctx));
        return this;
    }

    public StepBuilder Enter(Func<CallContext, Task<StepResult>> enter)
    {
        _step.Enter = ctx => new ValueTask<StepResult>(enter(ctx));
        return this;
    }

    public StepBuilder Resume(Func<CallContext, StepResult> resume)
    {
        _step.Resume = ctx => ValueTask.FromResult(resume(ctx));
        return this;
    }

    public StepBuilder Resume(Func<CallContext, Task<StepResult>> resume)
    {
        _step.Resume = ctx => new ValueTask<StepResult>(resume(ctx));
        return this;
    }

    /// <summary>Whatever the action's result, continue in <paramref name="next"/> (after Play, Answer, Say…).</summary>
    public StepBuilder Then(string next) => Resume(_ => new StepResult.Goto(next));

    /// <summary>After a Call… action: a bridged call ends the flow here, anything else goes on to <paramref name="notAnswered"/>.</summary>
    public StepBuilder OnCallStatus(string answered, string notAnswered) =>
        Resume(ctx => new StepResult.Goto(ctx.CallStatus == CallStatuses.Answer ? answered : notAnswered));

    public StepBuilder MaxTries(int tries, string thenGoTo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tries, 1);
        _step.MaxTries = tries;
        _step.ExhaustedStep = thenGoTo;
        return this;
    }
}
