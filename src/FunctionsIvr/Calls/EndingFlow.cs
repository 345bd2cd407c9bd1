using FunctionsIvr.Agents;
using FunctionsIvr.Calls.Transfer;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// How calls end: the hang-up, and the safe path every failure takes (an apology, then the team queue or a hang-up).
/// The fallback's Enter must answer at once, without I/O: it is what the caller hears when everything else failed.
/// </summary>
public sealed class EndingFlow(IOptions<TransferOptions> options) : IFlowModule
{
    public const string FallbackQueue = "fallback_queue";

    public void Define(FlowBuilder flow)
    {
        var transfer = options.Value;
        flow.UsesPrompts(Prompts.Apology, Prompts.PleaseWait);

        flow.Step(CallFlow.FallbackStep)
            .Enter(ctx => ctx.Play(Prompts.Apology))
            .Then(transfer.FallbackToQueue ? FallbackQueue : CallFlow.EndStep);

        flow.Step(FallbackQueue)
            .Enter(ctx => ctx.TransferWithCardAsync(transfer.TeamQueue, transfer.QueueRingSeconds))
            .Then(CallFlow.EndStep);

        // A callback after Hangup (the platform may send one) gets another Hangup, never a new conversation.
        flow.Step(CallFlow.EndStep)
            .Enter(ctx => ctx.Hangup())
            .Resume(ctx => ctx.Hangup());
    }
}
