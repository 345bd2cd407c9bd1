using System.Globalization;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Calls.Orders;

/// <summary>The caller's orders still on their way, newest first, as the status and change flows read them out.</summary>
internal static class ActiveOrders
{
    /// <summary>More is too long to listen to; the rest is for a person or the customer portal.</summary>
    public const int MaxRead = 5;

    private const string StateKey = "orders";

    /// <summary>Asks the ERP and keeps the list in the call state when there is more than one to go through.</summary>
    public static async Task<IReadOnlyList<OrderSummary>> FetchAsync(CallContext ctx, string contactId)
    {
        var orders = await ctx.Service<ErpClient>().GetOrdersAsync(contactId, OrderStatuses.Active, limit: 50, ctx.CancellationToken);
        var newest = orders
            // The ERP filters by status; statuses it adds (read with the generic prompt) are kept, finished ones are not.
            .Where(o => o.Status is not (OrderStatuses.Delivered or OrderStatuses.Cancelled))
            .OrderByDescending(o => o.CreatedAt)
            .ThenByDescending(o => o.Number, StringComparer.Ordinal)
            .Take(MaxRead)
            .Select(OrderSummary.From)
            .ToList();
        if (newest.Count > 1) await CallStateLists.SaveAsync(ctx, StateKey, newest);
        return newest;
    }

    /// <summary>The order at <paramref name="index"/> of the list the caller is hearing; asks the ERP again if the call state lost it.</summary>
    public static async Task<OrderSummary?> AtAsync(CallContext ctx, int index)
    {
        var list = await CallStateLists.LoadAsync<OrderSummary>(ctx, StateKey);
        if (list is null && ctx.Get(CallerKeys.ContactId) is { } contactId)
        {
            ctx.Note("order list not in the call state: read again from the ERP");
            list = await FetchAsync(ctx, contactId);
        }

        return list is not null && index >= 0 && index < list.Count ? list[index] : null;
    }

    /// <summary>Points the Session at <paramref name="order"/>, so the read-out steps and the change flow use it.</summary>
    public static void Select(CallContext ctx, OrderSummary order, int index, int count)
    {
        ctx.Set(OrderKeys.OrderId, order.Id);
        ctx.Set(OrderKeys.OrderIndex, index.ToString(CultureInfo.InvariantCulture));
        ctx.Set(OrderKeys.OrderCount, count.ToString(CultureInfo.InvariantCulture));
        ctx.Set(OrderKeys.NumberDigits, SpokenNumbers.OrderNumberDigits(order.Number));
        ctx.Set(OrderKeys.Status, order.Status);
        // An estimate already past (today in the business's zone) is no plan any more: the caller hears that the date
        // is not known rather than a day gone by as if it were still ahead.
        var delivery = order.Delivery is { } date && date >= ctx.Service<BusinessDates>().DateOf(ctx.Time.GetUtcNow()) ? date : (DateOnly?)null;
        ctx.Set(OrderKeys.Delivery, delivery?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public static int Index(CallContext ctx) => SessionNumbers.Int(ctx, OrderKeys.OrderIndex) ?? 0;

    public static int Count(CallContext ctx) => SessionNumbers.Int(ctx, OrderKeys.OrderCount) ?? 0;
}
