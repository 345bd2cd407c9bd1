using FunctionsIvr.Calls.Welcome;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// "Where is my order" (main menu 1): the caller's active orders, newest first, at most five. Each is read back (number,
/// status, delivery date), then: 1 the next order, 2 change or cancel this one, 9 the main menu.
/// </summary>
public sealed class OrderStatusFlow : IFlowModule
{
    private const string ReadOut = Steps.OrderStatus;
    private const string None = "order_status_none";
    private const string Menu = "order_status_menu";
    private const string Next = "order_status_next";
    private const string NoMore = "order_status_no_more";

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(OrderPrompts.NoActiveOrders, OrderPrompts.NoMoreOrders);

        flow.Step(Steps.OrderStatus)
            .Enter(async ctx =>
            {
                if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.MainMenu);
                var orders = await ActiveOrders.FetchAsync(ctx, contactId);
                if (orders.Count == 0) return CallContext.Goto(None);
                ActiveOrders.Select(ctx, orders[0], 0, orders.Count);
                return CallContext.Goto(OrderReadout.Start(ReadOut));
            })
            .Then(Steps.MainMenu);

        flow.Step(None)
            .Enter(ctx => ctx.Play(OrderPrompts.NoActiveOrders))
            .Then(Steps.MainMenu);

        OrderReadout.Define(flow, ReadOut, then: Menu);

        flow.Menu(Menu, OrderPrompts.NextMenu, Prompts.MenuRetry)
            .On('1', Next)
            .On('2', ChangeOrderFlow.ChosenOrder)
            .On('9', Steps.MainMenu)
            .MaxTries(3, thenGoTo: Steps.MainMenu);

        flow.Step(Next)
            .Enter(async ctx =>
            {
                var index = ActiveOrders.Index(ctx) + 1;
                if (index >= ActiveOrders.Count(ctx)) return CallContext.Goto(NoMore);
                if (await ActiveOrders.AtAsync(ctx, index) is not { } order) return CallContext.Goto(NoMore);
                ActiveOrders.Select(ctx, order, index, ActiveOrders.Count(ctx));
                return CallContext.Goto(OrderReadout.Start(ReadOut));
            })
            .Then(Steps.MainMenu);

        flow.Step(NoMore)
            .Enter(ctx => ctx.Play(OrderPrompts.NoMoreOrders))
            .Then(Steps.MainMenu);
    }
}
