using FunctionsIvr.Calls.Welcome;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Transfer;

/// <summary>
/// Routing in layers, never in a loop: the caller's account manager (or the duty agent), then the team queue,
/// then an apology and a hang-up.
/// Each layer moves on for Busy, Noanswer, Cancel and Error alike.
/// </summary>
public sealed class TransferFlow(IOptions<TransferOptions> options) : IFlowModule
{
    public const string ToAgent = Steps.TransferToPerson;
    public const string ToQueue = "transfer_queue";
    public const string NobodyAvailable = "goodbye";

    public void Define(FlowBuilder flow)
    {
        var transfer = options.Value;
        flow.UsesPrompts(Prompts.SorryUnavailable);

        flow.Step(ToAgent)
            .Enter(ctx => ctx.Transfer(ctx.Get(CallerKeys.AccountManagerLogin) ?? transfer.AgentLogin, transfer.AgentRingSeconds))
            .OnCallStatus(answered: CallFlow.EndStep, notAnswered: ToQueue);

        flow.Step(ToQueue)
            .Enter(ctx => ctx.Transfer(transfer.TeamQueue, transfer.QueueRingSeconds))
            .OnCallStatus(answered: CallFlow.EndStep, notAnswered: NobodyAvailable);

        flow.Step(NobodyAvailable)
            .Enter(ctx => ctx.Play(Prompts.SorryUnavailable))
            .Then(CallFlow.EndStep);
    }
}
