using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Orders;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// Placing a confirmed order through <see cref="OrderPlacement"/> and telling the caller how it went:
/// <c>{prefix}_accepted</c> ("order accepted" + the order number's last digits, then the main menu),
/// <c>{prefix}_rejected</c> (the ERP said no, e.g. out of stock), or <c>{prefix}_try_later</c> when the ERP cannot be
/// reached: the caller is offered a person (0) or the menu (9) instead of the generic apology, because they can still
/// place the order through a person now.
/// </summary>
internal static class PlaceOrderSteps
{
    public static void Define(FlowBuilder flow, string prefix, string afterRejected)
    {
        flow.UsesPrompts(OrderPrompts.Accepted, OrderPrompts.Rejected);
        var number = prefix + "_accepted_number";

        flow.Step(Accepted(prefix))
            .Enter(ctx => ctx.Play(OrderPrompts.Accepted))
            .Resume(ctx => CallContext.Goto(ctx.Get(OrderKeys.AcceptedDigits) is { Length: > 0 } ? number : Steps.MainMenu));

        flow.Step(number)
            .Enter(ctx => ctx.Get(OrderKeys.AcceptedDigits) is { Length: > 0 } digits ? ctx.SayDigits(digits) : CallContext.Goto(Steps.MainMenu))
            .Then(Steps.MainMenu);

        flow.Step(Rejected(prefix))
            .Enter(ctx => ctx.Play(OrderPrompts.Rejected))
            .Then(afterRejected);

        flow.Menu(TryLater(prefix), OrderPrompts.TryLater, Prompts.MenuRetry)
            .On('0', Steps.TransferToPerson)
            .On('9', Steps.MainMenu)
            .MaxTries(2, thenGoTo: Steps.MainMenu);
    }

    public static string Accepted(string prefix) => prefix + "_accepted";

    public static string Rejected(string prefix) => prefix + "_rejected";

    public static string TryLater(string prefix) => prefix + "_try_later";

    /// <summary>Fixes the basket's sequence; call it when asking the caller to confirm (see <see cref="OrderKeys.BasketSequence"/>).</summary>
    public static void MarkBasket(CallContext ctx) => SessionNumbers.Set(ctx, OrderKeys.BasketSequence, ctx.Session.Steps);

    /// <summary>The idempotency key of an ERP write the caller confirmed: the call id and the confirmation's sequence.</summary>
    public static string IdempotencyKey(CallContext ctx, string what) =>
        $"{ctx.CallId}:{what}:{ctx.Get(OrderKeys.BasketSequence) ?? throw new InvalidOperationException("No basket sequence: the confirmation step did not mark the basket.")}";

    public static async Task<StepResult> PlaceAsync(CallContext ctx, string prefix, IReadOnlyList<OrderLineRequest> lines)
    {
        if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.MainMenu);
        var sequence = SessionNumbers.Int(ctx, OrderKeys.BasketSequence)
                       ?? throw new InvalidOperationException("No basket sequence: the confirmation step did not mark the basket.");
        try
        {
            // The decision carries what "accepted" needs, so an instance that gives up on a held turn too late can say it.
            var placed = await ctx.Service<OrderPlacement>().PlaceAsync(
                new OrderBasket(ctx.CallId, contactId, sequence, lines) { Turn = ctx.TurnNumber }, ctx.CancellationToken, ctx.IsTurnAbandonedAsync,
                order => ctx.LetTurnStandAsync(Accepted(prefix), new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [OrderKeys.AcceptedDigits] = SpokenNumbers.OrderNumberDigits(order.OrderNumber),
                }), ctx.TryLeaveUndo);
            ctx.Set(OrderKeys.AcceptedDigits, SpokenNumbers.OrderNumberDigits(placed.OrderNumber));
            ctx.Note(placed.Queued ? "order accepted, commit queued" : "order accepted, commit left for the sweep");
            return CallContext.Goto(Accepted(prefix));
        }
        catch (ErpException e) when (e.Kind is ErpErrorKind.Rejected or ErpErrorKind.NotFound)
        {
            ctx.Note($"order rejected by the ERP: {e.Problem?.Type ?? e.Kind.ToString()}");
            return CallContext.Goto(Rejected(prefix));
        }
        catch (ErpException e) when (e.IsTransient)
        {
            ctx.Note($"order not placed: ERP {e.Kind}");
            return CallContext.Goto(TryLater(prefix));
        }
        catch (OrderClosedException e)
        {
            ctx.Note($"order not placed: {e.Reason}");
            return CallContext.Goto(TryLater(prefix));
        }
    }
}
