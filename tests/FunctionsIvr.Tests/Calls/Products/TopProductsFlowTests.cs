using FunctionsIvr.Erp;
using FunctionsIvr.Tests.Calls.Orders;
using Moq;
using static FunctionsIvr.Tests.Calls.Orders.OrderCalls;

namespace FunctionsIvr.Tests.Calls.Products;

public class TopProductsFlowTests
{
    private static readonly TopProduct[] Top =
    [
        new() { ProductCode = "CEM-325-25", Price = 21.90m },
        new() { ProductCode = "PUST-CER-25", Price = 9.00m },
        new() { ProductCode = "ZAP-M10-25", Price = 16.40m },
    ];

    [Fact]
    public async Task Top_ReadsEachWithPositionCodeDigitsAndPriceThenTheMenu()
    {
        using var calls = new OrderCalls();
        TopAre(calls, Top);

        var first = await calls.FromMainMenuAsync('5');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(
            ["Play:147", "SayNumber:1", "SayDigits:32525", "SayNumber:21", "SayNumber:90",
             "Play:147", "SayNumber:2", "SayDigits:25", "SayNumber:9",
             "Play:147", "SayNumber:3", "SayDigits:1025", "SayNumber:16", "SayNumber:40",
             "GetDTMF:148"],
            Heard([first, .. rest]));
    }

    [Fact]
    public async Task Top_OneInAnotherCurrency_ReadWithoutItsPrice()
    {
        using var calls = new OrderCalls();
        TopAre(calls, Top[0], Top[1] with { Currency = "CZK" }, Top[2]);

        var first = await calls.FromMainMenuAsync('5');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(
            ["Play:147", "SayNumber:1", "SayDigits:32525", "SayNumber:21", "SayNumber:90",
             "Play:147", "SayNumber:2", "SayDigits:25",
             "Play:147", "SayNumber:3", "SayDigits:1025", "SayNumber:16", "SayNumber:40",
             "GetDTMF:148"],
            Heard([first, .. rest]));
        Assert.Contains(rest.SelectMany(t => t.Notes), n => n == "price of PUST-CER-25 not said: in CZK, the prompts name PLN");
    }

    [Fact]
    public async Task Top_NoneYet_SaysSoThenMainMenu()
    {
        using var calls = new OrderCalls();
        TopAre(calls);

        var none = await calls.FromMainMenuAsync('5');
        var menu = await calls.NextAsync();

        Assert.Equal("Play:149", Heard(none));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task Top_PressTwo_OrdersTheSecondProductAtTodaysStock()
    {
        using var calls = await AtTopMenu();
        calls.ProductsAre("PUST-CER-25", Product("PUST-CER-25", 9.85m, 5000));
        PrepareTransactionRequest? prepared = null;
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((PrepareTransactionRequest request, string? _, CancellationToken _) => prepared = request)
            .ReturnsAsync(Prepared("tx-0003", "ZS/2026/001402"));

        var quantity = await calls.KeysAsync("2");
        await calls.KeysAsync("300#");
        var confirm = (await calls.ListenUntilAskedAsync())[^1];
        var accepted = await calls.KeysAsync("1");

        Assert.Equal(["GetDTMF:125", "GetDTMF:128", "Play:129"], Heard([quantity, confirm, accepted]));
        Assert.NotNull(prepared);
        Assert.Equal([new OrderLineRequest("PUST-CER-25", 300)], prepared.Lines);
    }

    [Fact]
    public async Task Top_ChosenProductOutOfStock_SaysSoThenTheMenu()
    {
        using var calls = await AtTopMenu();
        calls.ProductsAre("CEM-325-25", Product("CEM-325-25", 21.90m, 0));

        var outOfStock = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:144", Heard(outOfStock));
        Assert.Equal("GetDTMF:148", Heard(menu));
    }

    [Fact]
    public async Task Top_ChosenProductNoLongerSold_NotFoundThenTheMenu()
    {
        using var calls = await AtTopMenu();
        calls.ProductsAre("ZAP-M10-25");

        var gone = await calls.KeysAsync("3");

        Assert.Equal("Play:141", Heard(gone));
    }

    [Fact]
    public async Task Top_KeyNine_MainMenu()
    {
        using var calls = await AtTopMenu();

        var menu = await calls.KeysAsync("9");

        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task Top_KeyBeyondTheList_AsksAgain()
    {
        using var calls = new OrderCalls();
        TopAre(calls, Top[0]);
        await calls.FromMainMenuAsync('5');
        await calls.ListenUntilAskedAsync();

        var again = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:3", Heard(again));
    }

    private static void TopAre(OrderCalls calls, params TopProduct[] top) =>
        calls.Erp.Setup(e => e.GetTopProductsAsync(ContactId, It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(top);

    private static async Task<OrderCalls> AtTopMenu()
    {
        var calls = new OrderCalls();
        TopAre(calls, Top);
        await calls.FromMainMenuAsync('5');
        var menu = (await calls.ListenUntilAskedAsync())[^1];
        Assert.Equal("GetDTMF:148", Heard(menu));
        return calls;
    }
}
