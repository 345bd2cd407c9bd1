using Azure;
using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Fakes;
using Moq;
using static FunctionsIvr.Tests.Calls.Orders.OrderCalls;

namespace FunctionsIvr.Tests.Calls.Orders;

public class OrderStatusFlowTests
{
    private static readonly DateOnly Delivery = new(2026, 11, 5);

    [Fact]
    public async Task OrderStatus_NoActiveOrders_SaysSoThenMainMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre();

        var none = await calls.FromMainMenuAsync('1');
        var menu = await calls.NextAsync();

        Assert.Equal("Play:100", Heard(none));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task OrderStatus_AsksErpForActiveOrdersOfTheCaller()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre();

        await calls.FromMainMenuAsync('1');

        calls.Erp.Verify(e => e.GetOrdersAsync(
            ContactId, It.Is<IReadOnlyCollection<string>?>(s => s != null && s.SequenceEqual(OrderStatuses.Active)), It.IsAny<int>(), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task OrderStatus_ReadsNewestOrder_NumberDigitsStatusDeliveryThenMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(
            Order("o-1", "ZS/2026/001111", OrderStatuses.Confirmed, daysAgo: 9),
            Order("o-2", "ZS/2026/001234", OrderStatuses.InPreparation, daysAgo: 1, Delivery));

        var first = await calls.FromMainMenuAsync('1');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(
            ["Play:101", "SayDigits:1234", "Play:103", "Play:106", "SayDate:2026-11-05", "GetDTMF:108"],
            Heard([first, .. rest]));
    }

    [Theory]
    [InlineData(OrderStatuses.Confirmed, "Play:102")]
    [InlineData(OrderStatuses.InPreparation, "Play:103")]
    [InlineData(OrderStatuses.Shipped, "Play:104")]
    [InlineData("on_hold", "Play:105")]
    public async Task OrderStatus_EachStatus_HasItsPrompt(string status, string heard)
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Order("o-1", "ZS/2026/001111", status, daysAgo: 1, Delivery));
        await calls.FromMainMenuAsync('1');
        await calls.NextAsync();

        var said = await calls.NextAsync();

        Assert.Equal(heard, Heard(said));
    }

    [Fact]
    public async Task OrderStatus_NoDeliveryDate_SaysNotKnownYetWithoutADate()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Order("o-1", "ZS/2026/001111", OrderStatuses.Confirmed, daysAgo: 1, delivery: null));

        await calls.FromMainMenuAsync('1');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(["SayDigits:1111", "Play:102", "Play:107", "GetDTMF:108"], Heard(rest));
    }

    [Fact]
    public async Task OrderStatus_NextOrder_ReadsTheOlderOne()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(
            Order("o-1", "ZS/2026/001111", OrderStatuses.Shipped, daysAgo: 9, Delivery),
            Order("o-2", "ZS/2026/001234", OrderStatuses.InPreparation, daysAgo: 1, Delivery));
        await calls.FromMainMenuAsync('1');
        await calls.ListenUntilAskedAsync();

        var next = await calls.KeysAsync("1");
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal("Play:101", Heard(next));
        Assert.Equal(["SayDigits:1111", "Play:104", "Play:106", "SayDate:2026-11-05", "GetDTMF:108"], Heard(rest));
    }

    [Fact]
    public async Task OrderStatus_NextOnAnInstanceWithoutTheCallState_ReadsTheOlderOneFromTheErp()
    {
        using var calls = new OrderCalls(callState: new ForgetfulCallStateStore());
        calls.OrdersAre(
            Order("o-1", "ZS/2026/001111", OrderStatuses.Shipped, daysAgo: 9, Delivery),
            Order("o-2", "ZS/2026/001234", OrderStatuses.InPreparation, daysAgo: 1, Delivery));
        await calls.FromMainMenuAsync('1');
        await calls.ListenUntilAskedAsync();

        var next = await calls.KeysAsync("1");
        var digits = await calls.NextAsync();

        Assert.Equal("SayDigits:1111", Heard(digits));
        Assert.Contains(next.Notes, n => n.Contains("read again from the ERP", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrderStatus_AtMostFiveOrders_ThenNoMoreOrdersAndMainMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Enumerable.Range(1, 6)
            .Select(i => Order($"o-{i}", $"ZS/2026/00100{i}", OrderStatuses.Confirmed, daysAgo: i, Delivery))
            .ToArray());
        await calls.FromMainMenuAsync('1');
        var read = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            read.Add(Heard((await calls.ListenUntilAskedAsync())[0]));
            await calls.KeysAsync("1");
        }

        read.Add(Heard((await calls.ListenUntilAskedAsync())[0]));
        var noMore = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal(["SayDigits:1001", "SayDigits:1002", "SayDigits:1003", "SayDigits:1004", "SayDigits:1005"], read);
        Assert.Equal("Play:109", Heard(noMore));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task OrderStatus_KeyTwo_OpensTheChangeMenuForThisOrder()
    {
        using var calls = new OrderCalls();
        var order = Order("o-2", "ZS/2026/001234", OrderStatuses.Confirmed, daysAgo: 1, Delivery);
        calls.OrdersAre(order);
        calls.OrderIs(order);
        await calls.FromMainMenuAsync('1');
        await calls.ListenUntilAskedAsync();

        var change = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:113", Heard(change));
        calls.Erp.Verify(e => e.GetOrderAsync("o-2", It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task OrderStatus_KeyNine_MainMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Order("o-1", "ZS/2026/001111", OrderStatuses.Confirmed, daysAgo: 1, Delivery));
        await calls.FromMainMenuAsync('1');
        await calls.ListenUntilAskedAsync();

        var menu = await calls.KeysAsync("9");

        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task OrderStatus_SilenceInTheMenu_MainMenuAfterThreeTries()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Order("o-1", "ZS/2026/001111", OrderStatuses.Confirmed, daysAgo: 1, Delivery));
        await calls.FromMainMenuAsync('1');
        await calls.ListenUntilAskedAsync();

        var again = await calls.KeysAsync("");
        await calls.KeysAsync("");
        var menu = await calls.KeysAsync("");

        Assert.Equal("GetDTMF:3", Heard(again));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

}
