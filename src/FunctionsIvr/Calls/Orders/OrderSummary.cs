using FunctionsIvr.Erp;

namespace FunctionsIvr.Calls.Orders;

/// <summary>What the phone says about an order, kept in the call state while the caller goes through the list.</summary>
public sealed record OrderSummary(string Id, string Number, string Status, DateOnly? Delivery)
{
    public static OrderSummary From(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderSummary(order.Id, order.Number, order.Status, order.EstimatedDelivery);
    }
}
