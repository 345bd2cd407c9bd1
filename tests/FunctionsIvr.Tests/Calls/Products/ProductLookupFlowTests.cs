using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Calls.Orders;
using FunctionsIvr.Work;
using Moq;
using static FunctionsIvr.Tests.Calls.Orders.OrderCalls;

namespace FunctionsIvr.Tests.Calls.Products;

public class ProductLookupFlowTests
{
    private static readonly Product Cement = Product("CEM-325-25", 21.90m, 1200);

    [Fact]
    public async Task Lookup_AsksForTheCodeWithRoomForAnEan13()
    {
        using var calls = new OrderCalls();

        var ask = await calls.FromMainMenuAsync('3');

        Assert.Equal("GetDTMF:140", Heard(ask));
        Assert.Equal("13", ask.Action["MaxDigits"]);
    }

    [Fact]
    public async Task Lookup_CodeKeyedAsDigits_PriceWithGroszeThenStockThenMenu()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("32525", Product("CEM-325-250", 99m, 5), Cement);
        await calls.FromMainMenuAsync('3');

        var first = await calls.KeysAsync("32525#");
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(["Play:142", "SayNumber:21", "SayNumber:90", "Play:143", "SayNumber:1200", "GetDTMF:145"], Heard([first, .. rest]));
    }

    [Fact]
    public async Task Lookup_WholeZlotyPrice_NoGrosze()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("42525", Product("CEM-425-25", 27.00m, 600));
        await calls.FromMainMenuAsync('3');

        await calls.KeysAsync("42525");
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(["SayNumber:27", "Play:143", "SayNumber:600", "GetDTMF:145"], Heard(rest));
    }

    [Fact]
    public async Task Lookup_PricedInAnotherCurrencyThanThePrompts_PriceLeftOutAndNoted()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("32525", Cement with { Currency = "EUR" });
        await calls.FromMainMenuAsync('3');

        var first = await calls.KeysAsync("32525#");
        var rest = await calls.ListenUntilAskedAsync();

        // Not "21 złoty 90" for 21.90 EUR: straight to the stock, and ordering is still offered.
        Assert.Equal(["Play:143", "SayNumber:1200", "GetDTMF:145"], Heard([first, .. rest]));
        Assert.Contains(first.Notes, n => n == "price of CEM-325-25 not said: in EUR, the prompts name PLN");
    }

    [Fact]
    public async Task Lookup_NoListPrice_PriceLeftOutNotSaidAsZeroAndOrderingStillOffered()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("32525", Cement with { Price = 0m });
        await calls.FromMainMenuAsync('3');

        var first = await calls.KeysAsync("32525#");
        var rest = await calls.ListenUntilAskedAsync();

        // Not "price 0 złoty", which a caller hears as "free".
        Assert.Equal(["Play:143", "SayNumber:1200", "GetDTMF:145"], Heard([first, .. rest]));
        Assert.Contains(first.Notes, n => n == "price of CEM-325-25 not said: it comes to 0");
    }

    [Fact]
    public async Task Lookup_PromptsRecordedForEuro_EuroPriceSaidAndZlotyPriceLeftOut()
    {
        using var calls = new OrderCalls(new() { ["Calls:PromptCurrency"] = "EUR" });
        calls.ProductsAre("32525", Cement with { Currency = "eur" });
        calls.ProductsAre("42525", Product("CEM-425-25", 27.00m, 600));
        await calls.FromMainMenuAsync('3');

        var euro = await calls.KeysAsync("32525#");
        var euroRest = await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("2");
        var zloty = await calls.KeysAsync("42525#");
        var zlotyRest = await calls.ListenUntilAskedAsync();

        Assert.Equal(["Play:142", "SayNumber:21", "SayNumber:90", "Play:143", "SayNumber:1200", "GetDTMF:145"], Heard([euro, .. euroRest]));
        Assert.Equal(["Play:143", "SayNumber:600", "GetDTMF:145"], Heard([zloty, .. zlotyRest]));
    }

    [Fact]
    public async Task Lookup_OutOfStock_SaysSoWithoutAQuantityAndTheMenuDoesNotOfferOrdering()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("30", Product("TYNK-GIPS-30", 31.50m, 0));
        await calls.FromMainMenuAsync('3');

        await calls.KeysAsync("30");
        var rest = await calls.ListenUntilAskedAsync();

        // 146 is the product menu without "1 to order": 1 is refused for a product that is not there.
        Assert.Equal(["SayNumber:31", "SayNumber:50", "Play:144", "GetDTMF:146"], Heard(rest));
    }

    [Fact]
    public async Task Lookup_UnknownCode_NotFoundThenAskedAgain()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("999");
        await calls.FromMainMenuAsync('3');

        var notFound = await calls.KeysAsync("999");
        var again = await calls.NextAsync();

        Assert.Equal("Play:141", Heard(notFound));
        Assert.Equal("GetDTMF:140", Heard(again));
    }

    [Fact]
    public async Task Lookup_TwoCodesWithTheSameDigits_NeitherTakenAndNoted()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("25", Product("PUST-BET-25", 4.10m, 900), Product("PUST-CER-25", 9.85m, 5000));
        await calls.FromMainMenuAsync('3');

        var notFound = await calls.KeysAsync("25#");

        // Not the price of whichever the ERP listed first: the caller could order a product they did not mean.
        Assert.Equal("Play:141", Heard(notFound));
        Assert.Contains(notFound.Notes, n => n == "code 25 keyed: 2 products have these digits (PUST-BET-25, PUST-CER-25); none taken");
    }

    [Fact]
    public async Task Lookup_TwoCodesWithTheSameDigitsButOneIsExactlyTheKeyedCode_ThatOneTaken()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("25", Product("PUST-BET-25", 4.10m, 900), Product("25", 1.20m, 10));
        await calls.FromMainMenuAsync('3');

        await calls.KeysAsync("25#");
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(["SayNumber:1", "SayNumber:20", "Play:143", "SayNumber:10", "GetDTMF:145"], Heard(rest));
    }

    [Fact]
    public async Task Lookup_SearchHitThatOnlyContainsTheDigits_NotTaken()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("325", Cement);
        await calls.FromMainMenuAsync('3');

        var notFound = await calls.KeysAsync("325");

        Assert.Equal("Play:141", Heard(notFound));
    }

    [Fact]
    public async Task Lookup_ThreeUnknownCodes_MainMenu()
    {
        using var calls = new OrderCalls();
        calls.ProductsAre("999");
        await calls.FromMainMenuAsync('3');
        for (var i = 0; i < 2; i++)
        {
            await calls.KeysAsync("999");
            await calls.NextAsync();
        }

        await calls.KeysAsync("999");
        var menu = await calls.NextAsync();

        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task Lookup_Guest_MenuWithoutOrderingAndBackToTheGuestMenu()
    {
        using var calls = new OrderCalls();
        calls.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Contact?)null);
        calls.ProductsAre("32525", Cement);
        await calls.FromMainMenuAsync('3');
        await calls.KeysAsync("32525");
        var menu = (await calls.ListenUntilAskedAsync())[^1];

        var orderKey = await calls.KeysAsync("1");
        var home = await calls.KeysAsync("9");

        Assert.Equal("GetDTMF:146", Heard(menu));
        Assert.Equal("GetDTMF:3", Heard(orderKey));
        Assert.Equal("GetDTMF:13", Heard(home));
    }

    [Fact]
    public async Task Lookup_AnotherProduct_AsksForTheCodeAgain()
    {
        using var calls = await AtProductMenu();

        var ask = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:140", Heard(ask));
    }

    [Fact]
    public async Task Lookup_OrderIt_QuantityConfirmedThenAcceptedWithTheNumber()
    {
        using var calls = await AtProductMenu();
        PrepareTransactionRequest? prepared = null;
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((PrepareTransactionRequest request, string? _, CancellationToken _) => prepared = request)
            .ReturnsAsync(Prepared("tx-0002", "ZS/2026/001401"));

        var quantity = await calls.KeysAsync("1");
        var intro = await calls.KeysAsync("25#");
        var said = await calls.NextAsync();
        var confirm = await calls.NextAsync();
        var accepted = await calls.KeysAsync("1");
        var number = await calls.NextAsync();

        Assert.Equal(["GetDTMF:125", "Play:127", "SayNumber:25", "GetDTMF:128", "Play:129", "SayDigits:1401"],
            Heard([quantity, intro, said, confirm, accepted, number]));
        Assert.Equal("5", quantity.Action["MaxDigits"]);
        Assert.NotNull(prepared);
        Assert.Equal([new OrderLineRequest("CEM-325-25", 25)], prepared.Lines);
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0002"))?.Status);
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Theory]
    [InlineData("0#")]
    [InlineData("1201#")]
    public async Task Lookup_QuantityZeroOrAboveStock_QuantityInvalidThenAskedAgain(string keys)
    {
        using var calls = await AtProductMenu();
        await calls.KeysAsync("1");

        var invalid = await calls.KeysAsync(keys);
        var again = await calls.NextAsync();

        Assert.Equal("Play:126", Heard(invalid));
        Assert.Equal("GetDTMF:125", Heard(again));
    }

    [Fact]
    public async Task Lookup_QuantityAboveTheConfiguredCap_QuantityInvalid()
    {
        using var calls = await AtProductMenu(new() { ["Orders:MaxQuantity"] = "100" });
        await calls.KeysAsync("1");

        var invalid = await calls.KeysAsync("101#");

        Assert.Equal("Play:126", Heard(invalid));
    }

    [Fact]
    public async Task Lookup_ThreeInvalidQuantities_BackToTheProductMenu()
    {
        using var calls = await AtProductMenu();
        await calls.KeysAsync("1");
        for (var i = 0; i < 2; i++)
        {
            await calls.KeysAsync("0");
            await calls.NextAsync();
        }

        await calls.KeysAsync("0");
        var menu = await calls.NextAsync();

        Assert.Equal("GetDTMF:145", Heard(menu));
    }

    [Fact]
    public async Task Lookup_OrderDeclined_BackToTheProductMenuAndNothingPrepared()
    {
        using var calls = await AtProductMenu();
        await calls.KeysAsync("1");
        await calls.KeysAsync("25#");
        await calls.ListenUntilAskedAsync();

        var menu = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:145", Heard(menu));
        calls.Erp.Verify(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Lookup_ErpRejectsTheOrder_OrderRejectedThenTheProductMenu()
    {
        using var calls = await AtProductMenu();
        calls.PrepareThrows(ErpErrorKind.Rejected);
        await calls.KeysAsync("1");
        await calls.KeysAsync("25#");
        await calls.ListenUntilAskedAsync();

        var rejected = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:130", Heard(rejected));
        Assert.Equal("GetDTMF:145", Heard(menu));
    }

    private static async Task<OrderCalls> AtProductMenu(Dictionary<string, string?>? settings = null)
    {
        var calls = new OrderCalls(settings);
        calls.ProductsAre("32525", Cement);
        await calls.FromMainMenuAsync('3');
        await calls.KeysAsync("32525");
        var menu = (await calls.ListenUntilAskedAsync())[^1];
        Assert.Equal("GetDTMF:145", Heard(menu));
        return calls;
    }
}
