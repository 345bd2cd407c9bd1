using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;

namespace FunctionsIvr.Calls.People;

/// <summary>
/// "Call me back": the caller confirms with 1, the account manager (or the team) gets an escalation with the call's
/// context, the caller hears the promise and the call ends. With the queue down the escalation is parked for the outbox
/// sweep and the promise stands; only if it can be neither queued nor parked (queue and storage down) is the caller put
/// through to a person instead of hearing a promise nobody would keep. Any other key goes back to the menu.
/// </summary>
public sealed class CallbackFlow : IFlowModule
{
    public const string ConfirmPrompt = "callback_confirm";
    public const string PromisedPrompt = "callback_promised";
    public const string Promised = Steps.CallbackRequest + "_promised";
    public const string Back = Steps.CallbackRequest + "_back";

    public void Define(FlowBuilder flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        flow.UsesPrompts(ConfirmPrompt, PromisedPrompt);

        flow.Step(Steps.CallbackRequest)
            .Enter(ctx => ctx.Ask(ConfirmPrompt, maxDigits: 1))
            .Resume(ctx => ctx.Digits switch
            {
                "1" => CallContext.Goto(Promised),
                null => CallContext.Retry("no key pressed"),
                _ => CallContext.Goto(Back),
            })
            .MaxTries(2, thenGoTo: Back);

        // The escalation is queued before the promise is played: a caller who hangs up during it is still called back.
        // When it was neither queued nor parked nobody would call back, so there is no promise: the caller is put through to a person now.
        flow.Step(Promised)
            .Enter(async ctx =>
            {
                if (!await EscalationRaiser.RaiseAsync(ctx, EscalationReason.CallbackRequested, "The caller asked to be called back.", Steps.CallbackRequest))
                {
                    ctx.Note("call back not registered: put through to a person instead");
                    return CallContext.Goto(Steps.TransferToPerson);
                }
                await CallRecordUpdates.EndedAsync(ctx, CallOutcomes.Other, "The caller asked to be called back.");
                return ctx.Play(PromisedPrompt);
            })
            .Then(CallFlow.EndStep);

        flow.Step(Back)
            .Enter(ctx => CallContext.Goto(WelcomeFlow.MenuFor(ctx)))
            .Then(Steps.MainMenu);
    }
}
