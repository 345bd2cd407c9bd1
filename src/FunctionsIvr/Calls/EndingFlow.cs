using FunctionsIvr.Agents;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls.Transfer;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// How calls end: the hang-up, and the safe path every failure takes: an apology, then the team queue (or a hang-up),
/// and when the queue does not answer, the same "nobody available" ending as the transfer chain. The path never leads
/// back into the step that failed: a failed team-queue transfer is not dialled again.
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
            .Resume(async ctx =>
            {
                var next = AfterApology(ctx);
                // The apology was the last word: the ERP record says the call failed ("nobody available" closed it already).
                if (next == CallFlow.EndStep && ctx.FailedStep != TransferFlow.NobodyAvailable)
                {
                    await CallRecordUpdates.EndedAsync(ctx, CallOutcomes.Failed, $"The call failed in step {ctx.FailedStep ?? "unknown"}; the caller heard an apology and the call was ended.");
                }

                return CallContext.Goto(next);
            });

        flow.Step(FallbackQueue)
            .Enter(ctx => ctx.TransferWithCardAsync(transfer.TeamQueue, transfer.QueueRingSeconds))
            .Resume(ctx => TransferFlow.AfterTransferAsync(ctx, transfer.TeamQueue, notAnswered: TransferFlow.NobodyAvailable));

        // A callback after Hangup (the platform may send one) gets another Hangup, never a new conversation.
        flow.Step(CallFlow.EndStep)
            .Enter(ctx => ctx.Hangup())
            .Resume(ctx => ctx.Hangup());

        string AfterApology(CallContext ctx) => ctx.FailedStep switch
        {
            // The team queue itself failed: its "nobody available" ending, not a second dial of the same queue.
            TransferFlow.ToQueue => TransferFlow.NobodyAvailable,
            // The ending itself failed (its escalation is queued before its prompt): the apology was the last word.
            TransferFlow.NobodyAvailable => CallFlow.EndStep,
            // A refused (blocked) caller is not put through to the team by a failure: the apology ends the call.
            _ when ctx.Get(CallerKeys.Kind) == CallerKinds.Blocked => CallFlow.EndStep,
            _ => transfer.FallbackToQueue ? FallbackQueue : CallFlow.EndStep,
        };
    }
}
