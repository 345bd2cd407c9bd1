using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// "The same again" (main menu 2): the caller's last order that was not cancelled is summed up (how many lines, the
/// total in whole units, left out when the ERP gives it in a currency the prompts do not name or it comes to zero) and, on 1, placed again
/// with the same products and quantities at today's prices, through
/// <see cref="FunctionsIvr.Orders.OrderPlacement"/>. Ordering needs an account: without a contact id the call goes
/// back to the main menu.
/// </summary>
public sealed class RepeatOrderFlow : IFlowModule
{
    private const string Prefix = "repeat_order";
    private const string None = "repeat_order_none";
    private const string Summary = "repeat_order_summary";
    private const string LineCount = "repeat_order_lines";
    private const string TotalIntro = "repeat_order_total_intro";
    private const string Total = "repeat_order_total";
    private const string Confirm = "repeat_order_confirm";
    private const string Place = "repeat_order_place";

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(OrderPrompts.NoPreviousOrder, OrderPrompts.RepeatSummary, OrderPrompts.RepeatTotal, OrderPrompts.RepeatConfirm);

        flow.Step(Steps.RepeatLastOrder)
            .Enter(async ctx =>
            {
                if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.MainMenu);
                var orders = await ctx.Service<ErpClient>().GetOrdersAsync(contactId, statuses: null, limit: 50, ctx.CancellationToken);
                var last = orders
                    .Where(o => o.Status != OrderStatuses.Cancelled)
                    .OrderByDescending(o => o.CreatedAt)
                    .ThenByDescending(o => o.Number, StringComparer.Ordinal)
                    .FirstOrDefault();
                // A list may come without lines; the order itself has them.
                if (last is { Lines.Count: 0 }) last = await ctx.Service<ErpClient>().GetOrderAsync(last.Id, ctx.CancellationToken);
                if (last is null || last.Lines.Count == 0) return CallContext.Goto(None);
                ctx.Set(OrderKeys.RepeatOrderId, last.Id);
                SessionNumbers.Set(ctx, OrderKeys.RepeatLineCount, last.Lines.Count);
                if (ctx.Service<SpokenMoney>().CanSay(ctx, SpokenNumbers.WholeAmount(last.Total), last.Currency, "total of the last order"))
                    SessionNumbers.Set(ctx, OrderKeys.RepeatTotal, SpokenNumbers.WholeAmount(last.Total));
                else
                    ctx.Set(OrderKeys.RepeatTotal, null);
                return CallContext.Goto(Summary);
            })
            .Then(Steps.MainMenu);

        flow.Step(None)
            .Enter(ctx => ctx.Play(OrderPrompts.NoPreviousOrder))
            .Then(Steps.MainMenu);

        flow.Step(Summary)
            .Enter(ctx => ctx.Play(OrderPrompts.RepeatSummary))
            .Then(LineCount);

        flow.Step(LineCount)
            .Enter(ctx => ctx.SayNumber(SessionNumbers.Long(ctx, OrderKeys.RepeatLineCount) ?? 0))
            .Then(TotalIntro);

        flow.Step(TotalIntro)
            .Enter(ctx => SessionNumbers.Long(ctx, OrderKeys.RepeatTotal) is null ? CallContext.Goto(Confirm) : ctx.Play(OrderPrompts.RepeatTotal))
            .Then(Total);

        flow.Step(Total)
            .Enter(ctx => ctx.SayNumber(SessionNumbers.Long(ctx, OrderKeys.RepeatTotal) ?? 0))
            .Then(Confirm);

        flow.Step(Confirm)
            .Enter(ctx =>
            {
                PlaceOrderSteps.MarkBasket(ctx);
                return ctx.Ask(OrderPrompts.RepeatConfirm, maxDigits: 1);
            })
            .Resume(ctx => ctx.Digits switch
            {
                "1" => CallContext.Goto(Place),
                "2" => CallContext.Goto(Steps.MainMenu),
                _ => CallContext.Retry("no confirmation"),
            })
            .MaxTries(3, thenGoTo: Steps.MainMenu);

        // The lines are read again from the ERP rather than carried: the Session holds ids, not lists.
        flow.Step(Place)
            .Enter(async ctx =>
            {
                Order order;
                try
                {
                    order = await ctx.Service<ErpClient>().GetOrderAsync(ctx.Get(OrderKeys.RepeatOrderId) ?? "", ctx.CancellationToken);
                }
                catch (ErpException e) when (e.Kind == ErpErrorKind.NotFound)
                {
                    ctx.Note("the order to repeat is gone from the ERP");
                    return CallContext.Goto(PlaceOrderSteps.Rejected(Prefix));
                }

                var lines = order.Lines.Select(l => new OrderLineRequest(l.ProductCode, l.Quantity)).ToList();
                return await PlaceOrderSteps.PlaceAsync(ctx, Prefix, lines);
            })
            .Then(Steps.MainMenu);

        PlaceOrderSteps.Define(flow, Prefix, afterRejected: Steps.MainMenu);
    }
}
