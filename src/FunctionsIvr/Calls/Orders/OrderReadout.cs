using System.Globalization;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// Reads back the order the Session points at (<see cref="ActiveOrders.Select"/>), one action per callback:
/// "order number" + its last digits, its status, its delivery date (or "not known yet"). Used by the status flow and
/// by the change flow's list.
/// </summary>
internal static class OrderReadout
{
    public static string Start(string prefix) => prefix + "_number";

    public static void Define(FlowBuilder flow, string prefix, string then)
    {
        flow.UsesPrompts(
            OrderPrompts.OrderNumber, OrderPrompts.StatusConfirmed, OrderPrompts.StatusInPreparation, OrderPrompts.StatusShipped,
            OrderPrompts.StatusUnknown, OrderPrompts.DeliveryDate, OrderPrompts.DeliveryDateUnknown);
        var digits = prefix + "_digits";
        var status = prefix + "_state";
        var delivery = prefix + "_delivery";
        var day = prefix + "_day";

        flow.Step(Start(prefix))
            .Enter(ctx => ctx.Play(OrderPrompts.OrderNumber))
            .Then(digits);

        flow.Step(digits)
            .Enter(ctx => ctx.Get(OrderKeys.NumberDigits) is { Length: > 0 } number ? ctx.SayDigits(number) : CallContext.Goto(status))
            .Then(status);

        flow.Step(status)
            .Enter(ctx => ctx.Play(StatusPrompt(ctx.Get(OrderKeys.Status))))
            .Then(delivery);

        flow.Step(delivery)
            .Enter(ctx => ctx.Play(DeliveryDate(ctx) is null ? OrderPrompts.DeliveryDateUnknown : OrderPrompts.DeliveryDate))
            .Resume(ctx => CallContext.Goto(DeliveryDate(ctx) is null ? then : day));

        flow.Step(day)
            .Enter(ctx => DeliveryDate(ctx) is { } date ? ctx.SayDate(date) : CallContext.Goto(then))
            .Then(then);
    }

    public static string StatusPrompt(string? status) => status switch
    {
        OrderStatuses.Confirmed => OrderPrompts.StatusConfirmed,
        OrderStatuses.InPreparation => OrderPrompts.StatusInPreparation,
        OrderStatuses.Shipped => OrderPrompts.StatusShipped,
        _ => OrderPrompts.StatusUnknown,
    };

    private static DateOnly? DeliveryDate(CallContext ctx) =>
        DateOnly.TryParseExact(ctx.Get(OrderKeys.Delivery), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}
