using FunctionsIvr.Agents;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls.People;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Ivr;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Transfer;

/// <summary>
/// Routing in layers, never in a loop: the caller's account manager (or the duty agent), then the team queue,
/// then an apology, an escalation so someone calls back, and a hang-up.
/// Each layer moves on for Busy, Noanswer, Cancel and Error alike. A bridged call is noted on the ERP call record.
/// The fallback path (<see cref="EndingFlow"/>) ends in the same <see cref="NobodyAvailable"/> step.
/// </summary>
public sealed class TransferFlow(IOptions<TransferOptions> options) : IFlowModule
{
    public const string ToAgent = Steps.TransferToPerson;
    public const string ToQueue = "transfer_queue";
    public const string NobodyAvailable = "goodbye";

    public void Define(FlowBuilder flow)
    {
        var transfer = options.Value;
        flow.UsesPrompts(Prompts.SorryUnavailable, Prompts.Apology);

        flow.Step(ToAgent)
            .Enter(ctx => ctx.TransferWithCardAsync(AgentOf(ctx), transfer.AgentRingSeconds))
            .Resume(ctx => AfterTransferAsync(ctx, AgentOf(ctx), notAnswered: ToQueue));

        flow.Step(ToQueue)
            .Enter(ctx => ctx.TransferWithCardAsync(transfer.TeamQueue, transfer.QueueRingSeconds))
            .Resume(ctx => AfterTransferAsync(ctx, transfer.TeamQueue, notAnswered: NobodyAvailable));

        // The escalation is queued before the apology is played: a caller who hangs up during it is still called back.
        // "We will call you back" only when someone will: with the escalation lost (queue and storage down), or with
        // nobody to call (a withheld number and no account), the apology, which promises nothing.
        flow.Step(NobodyAvailable)
            .Enter(async ctx =>
            {
                if (!CanBeCalledBack(ctx))
                {
                    ctx.Note("nobody answered; number withheld and no account: no call back possible, none promised");
                    await CallRecordUpdates.EndedAsync(ctx, CallOutcomes.Abandoned,
                        "Nobody answered the transfer; the caller withheld their number and has no account, so no call back was possible.");
                    return ctx.Play(Prompts.Apology);
                }

                var raised = await EscalationRaiser.RaiseAsync(ctx, EscalationReason.NobodyAnswered, NobodyAnsweredDetail(ctx), UnansweredStep(ctx));
                await CallRecordUpdates.EndedAsync(ctx, CallOutcomes.Abandoned, raised
                    ? "Nobody answered the transfer; a call back was escalated."
                    : "Nobody answered the transfer; the call back could not be escalated, so none was promised.");
                return ctx.Play(raised ? Prompts.SorryUnavailable : Prompts.Apology);
            })
            .Then(CallFlow.EndStep);

        string AgentOf(CallContext ctx) => ctx.Get(CallerKeys.AccountManagerLogin) ?? transfer.AgentLogin;

        string NobodyAnsweredDetail(CallContext ctx) => ctx.FailedStep switch
        {
            null => $"Transferred to {AgentOf(ctx)}, then to the team queue {transfer.TeamQueue}; the queue call ended with {Status(ctx)}.",
            ToQueue => $"Transferred to {AgentOf(ctx)}, then to the team queue {transfer.TeamQueue}; the queue call failed, so it was not dialled again.",
            var failed => $"The call failed in step {failed}; after an apology it was transferred to the team queue {transfer.TeamQueue}, and the queue call ended with {Status(ctx)}.",
        };
    }

    /// <summary>
    /// After a Call… action: an answered transfer is recorded on the ERP call record and ends our part of the call;
    /// anything else goes on to <paramref name="notAnswered"/>.
    /// </summary>
    public static async Task<StepResult> AfterTransferAsync(CallContext ctx, string destination, string notAnswered)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.CallStatus != CallStatuses.Answer) return CallContext.Goto(notAnswered);
        await CallRecordUpdates.TransferredAsync(ctx, destination);
        return CallContext.Goto(CallFlow.EndStep);
    }

    /// <summary>Someone can call back: the caller has an account, or a number (a withheld one comes blank or as a word).</summary>
    private static bool CanBeCalledBack(CallContext ctx) =>
        ctx.Get(CallerKeys.ContactId) is not null || ctx.Request.FromNumber?.Any(char.IsAsciiDigit) == true;

    /// <summary>The step whose transfer went unanswered: the chain's queue step, or the fallback's when it dialled the queue.</summary>
    private static string UnansweredStep(CallContext ctx) => ctx.FailedStep is null or ToQueue ? ToQueue : EndingFlow.FallbackQueue;

    private static string Status(CallContext ctx) => ctx.CallStatus.Length == 0 ? "no status" : ctx.CallStatus;
}
