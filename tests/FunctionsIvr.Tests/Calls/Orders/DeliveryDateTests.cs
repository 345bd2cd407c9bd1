using FunctionsIvr.Erp;
using static FunctionsIvr.Tests.Calls.Orders.OrderCalls;

namespace FunctionsIvr.Tests.Calls.Orders;

public class DeliveryDateTests
{
    [Fact]
    public async Task OrderStatus_EstimatedDeliveryAlreadyPassed_NotSaidAsTheDeliveryDate()
    {
        // The call is on 2025-03-10 (the harness's clock); the shipped order was estimated for 2025-02-25, not arrived.
        using var calls = new OrderCalls();
        calls.OrdersAre(Order("o-2", "ZS/2026/001234", OrderStatuses.Shipped, daysAgo: 10, new DateOnly(2025, 2, 25)));

        var first = await calls.FromMainMenuAsync('1');
        var rest = await calls.ListenUntilAskedAsync();
        var heard = Heard([first, .. rest]);

        // Not "delivery date: 25 February" thirteen days after it: the date is not known any more.
        Assert.DoesNotContain("SayDate:2025-02-25", heard);
        Assert.Equal(["Play:101", "SayDigits:1234", "Play:104", "Play:107", "GetDTMF:108"], heard);
    }

    [Fact]
    public async Task OrderStatus_DeliveryToday_IsStillSaid()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Order("o-3", "ZS/2026/001235", OrderStatuses.Shipped, daysAgo: 3, new DateOnly(2025, 3, 10)));

        var first = await calls.FromMainMenuAsync('1');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Contains("SayDate:2025-03-10", Heard([first, .. rest]));
    }
}
