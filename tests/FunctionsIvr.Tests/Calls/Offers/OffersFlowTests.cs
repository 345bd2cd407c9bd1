using Azure;
using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Calls.Orders;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace FunctionsIvr.Tests.Calls.Offers;

public class OffersFlowTests
{
    private static readonly Promotion PercentOff = new()
    {
        Id = "PR-1", Title = "Autumn coffee", ProductCode = "KAW-1234", DiscountPercent = 15.8m, ValidTo = new DateOnly(2026, 11, 30),
    };

    private static readonly Promotion PromoPrice = new()
    {
        Id = "PR-2", Title = "Sugar", ProductCode = "CUK-0077", PromoPrice = 89.50m, ValidTo = new DateOnly(2026, 12, 15),
    };

    private static readonly Recommendation Tea = new() { ProductCode = "HER-0450", Name = "Tea", Price = 45m };

    /// <summary>The two promotions and the tea, one action per callback, then the offers menu.</summary>
    private static readonly string[] ThreeOffersHeard =
    [
        "Play 60", "SayDigits 1234", "SayNumber 15", "Play 61", "SayDate 2026-11-30",
        "Play 60", "SayDigits 0077", "SayNumber 89", "SayNumber 50", "Play 62", "SayDate 2026-12-15",
        "Play 63", "SayDigits 0450", "Play 64", "SayNumber 45",
        "GetDTMF 65",
    ];

    [Fact]
    public async Task Offers_PromotionsThenRecommendations_ReadOneActionAtATimeThenMenu()
    {
        using var call = WithOffers([PercentOff, PromoPrice], [Tea]);
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(ThreeOffersHeard, heard);
    }

    [Fact]
    public async Task Offers_MoreThanThreeOfEach_ReadsThreeOfEach()
    {
        var promotions = Enumerable.Range(1, 5).Select(i => PercentOff with { Id = $"PR-{i}", ProductCode = $"P-{i}" }).ToList();
        var recommendations = Enumerable.Range(1, 5).Select(i => Tea with { ProductCode = $"R-{i}" }).ToList();
        using var call = WithOffers(promotions, recommendations);
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(3, heard.Count(h => h == "Play 60"));
        Assert.Equal(3, heard.Count(h => h == "Play 63"));
        Assert.Equal(["SayDigits 1", "SayDigits 2", "SayDigits 3"], heard.Where(h => h.StartsWith("SayDigits", StringComparison.Ordinal)).Take(3));
    }

    [Fact]
    public async Task OffersMenu_One_ReadsThemAgainWithoutAskingTheErpAgain()
    {
        using var call = WithOffers([PercentOff], []);
        await call.AtMenuAsync();
        var first = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        var again = await call.ListenUntilAskedAsync(await call.PressAsync("1"));

        Assert.Equal(first, again);
        call.Erp.Verify(e => e.GetPromotionsAsync("C-1001", It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task OffersMenu_Nine_BackToMainMenu()
    {
        using var call = WithOffers([PercentOff], []);
        await call.AtMenuAsync();
        await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        var menu = await call.PressAsync("9");

        Assert.Equal("GetDTMF 2", Listening.Heard(menu.Action));
    }

    [Fact]
    public async Task Offers_NoneOfEither_SaysNoOffersThenMainMenu()
    {
        using var call = WithOffers([], []);
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(["Play 66", "GetDTMF 2"], heard);
    }

    [Fact]
    public async Task Offers_PromotionWithoutCodeOrValue_LeftOut()
    {
        using var call = WithOffers([PercentOff with { ProductCode = null }, PercentOff with { DiscountPercent = null }], []);
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(["Play 66", "GetDTMF 2"], heard);
    }

    [Theory]
    [InlineData("in another currency")]
    [InlineData("of zero")]
    public async Task Offers_PricesNotToBeSaid_PromotionPriceLeftOutDiscountKeptRecommendationWithoutPrice(string prices)
    {
        // In euros with prompts naming złoty, or zero (said "0 złoty", heard as "free"): neither is said.
        using var call = prices == "of zero"
            ? WithOffers([PromoPrice with { PromoPrice = 0m }, PercentOff], [Tea with { Price = 0m }])
            : WithOffers([PromoPrice with { Currency = "EUR" }, PercentOff with { Currency = "EUR" }], [Tea with { Currency = "EUR" }]);
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        // A promotional price is the offer itself: without it the promotion is not read. A discount needs no currency.
        Assert.Equal(
        [
            "Play 60", "SayDigits 1234", "SayNumber 15", "Play 61", "SayDate 2026-11-30",
            "Play 63", "SayDigits 0450",
            "GetDTMF 65",
        ], heard);
    }

    [Fact]
    public async Task Offers_PromotionsFail_RecommendationsStillRead()
    {
        using var call = WithOffers([], [Tea]);
        call.Erp.Setup(e => e.GetPromotionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Timeout, "slow"));
        await call.AtMenuAsync();

        var first = await call.PressAsync("6");
        var heard = await call.ListenUntilAskedAsync(first);

        Assert.Equal(["Play 63", "SayDigits 0450", "Play 64", "SayNumber 45", "GetDTMF 65"], heard);
        Assert.Contains(first.Notes, n => n.Contains("promotions not read: ERP Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offers_PromotionsFailAndNoRecommendations_ApologyNotNoOffers()
    {
        // "We have no promotions for you today" would be untrue: the promotions could not be read.
        using var call = WithOffers([], []);
        call.Erp.Setup(e => e.GetPromotionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Timeout, "slow"));
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(["Play 8", "GetDTMF 2"], heard);
    }

    [Fact]
    public async Task Offers_ErpDown_ApologyThenMainMenu()
    {
        using var call = WithOffers([], []);
        call.Erp.Setup(e => e.GetPromotionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"));
        call.Erp.Setup(e => e.GetRecommendationsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"));
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(["Play 8", "GetDTMF 2"], heard);
    }

    [Fact]
    public async Task Offers_Guest_GoesToGuestMenu()
    {
        using var call = WithOffers([PercentOff], [Tea]);
        call.UseSession(new CallSession { Step = Steps.MainMenu, Steps = 2 });

        var turn = await call.PressAsync("6");

        Assert.Equal("GetDTMF 13", Listening.Heard(turn.Action));
        call.Erp.Verify(e => e.GetPromotionsAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task CampaignNumber_StartingAtOffers_ReadsOffersAfterTheWelcome()
    {
        using var call = WithOffers([PercentOff], [], new()
        {
            ["Campaigns:Numbers:0:Id"] = "autumn",
            ["Campaigns:Numbers:0:DialledNumber"] = "221234567",
            ["Campaigns:Numbers:0:StartStep"] = Steps.Offers,
        });
        await call.SendAsync("Connected");

        var first = await call.SendAsync("Play");

        Assert.Equal("Play 60", Listening.Heard(first.Action));
    }

    [Fact]
    public async Task Offers_AnotherInstanceSavedTheSameReadOutFirst_CallerStillHearsTheOffers()
    {
        // A slow store, a holding prompt, and the replay on another instance saves the call state first: this save gets
        // 409 (or 412). The read-out is the same ERP answer either way, so the caller hears it, not the apology.
        using var call = WithOffers([PercentOff], [], services: s =>
        {
            s.RemoveAll<ICallStateStore>();
            s.AddSingleton<ICallStateStore>(sp => new SavedFirstByAnotherInstance(ActivatorUtilities.CreateInstance<InMemoryCallStateStore>(sp)));
        });
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal("Play 60", heard[0]);
    }

    [Fact]
    public async Task Offers_HeardTwiceThenOrderedByCodeAsTheMenuSays_CallGoesOnToTheConfirmation()
    {
        // Each spoken part of a read-out is one callback: the longest offers (three promotions with a price, three
        // recommendations) take 34, so hearing them twice and then ordering must stay within the call's step limit.
        using var calls = new OrderCalls();
        calls.Erp.Setup(e => e.GetPromotionsAsync(OrderCalls.ContactId, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Enumerable.Range(1, 3).Select(i => PromoPrice with { Id = $"PR-{i}" }).ToList());
        calls.Erp.Setup(e => e.GetRecommendationsAsync(OrderCalls.ContactId, It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([Tea with { Price = 45.50m }, Tea with { Price = 45.50m }, Tea with { Price = 45.50m }]);
        calls.ProductsAre("32525", OrderCalls.Product("CEM-325-25", 21.90m, 1200));

        var turns = new List<CallTurn> { await calls.FromMainMenuAsync('6') };
        turns.AddRange(await calls.ListenUntilAskedAsync());
        turns.Add(await calls.KeysAsync("1"));
        turns.AddRange(await calls.ListenUntilAskedAsync());
        turns.Add(await calls.KeysAsync("9"));
        turns.Add(await calls.KeysAsync("3"));
        turns.Add(await calls.KeysAsync("32525"));
        turns.AddRange(await calls.ListenUntilAskedAsync());
        turns.Add(await calls.KeysAsync("1"));
        turns.Add(await calls.KeysAsync("10"));
        turns.AddRange(await calls.ListenUntilAskedAsync());

        Assert.DoesNotContain(turns, t => t.IsFallback);
        Assert.Equal("GetDTMF:128", OrderCalls.Heard(turns[^1]));
    }

    [Fact]
    public async Task Offers_CallStateLostBetweenCallbacks_ReadFromTheErpAgainAndHeardToTheEnd()
    {
        // Each callback on an instance that never saw the call: the read-out is not in its call state.
        using var call = WithOffers([PercentOff, PromoPrice], [Tea], services: s => s.AddSingleton<ICallStateStore>(new ForgetfulCallStateStore()));
        await call.AtMenuAsync();

        var heard = await call.ListenUntilAskedAsync(await call.PressAsync("6"));

        Assert.Equal(ThreeOffersHeard, heard);
    }


    /// <summary>The first save of a call's state finds it written already by another instance (the same content).</summary>
    private sealed class SavedFirstByAnotherInstance(ICallStateStore inner) : ICallStateStore
    {
        private int _saves;

        public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) => inner.GetAsync(callId, cancellationToken);

        public async Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _saves) > 1) return await inner.SaveAsync(state, cancellationToken);
            await inner.SaveAsync(new CallState(state.CallId) { Values = new Dictionary<string, string>(state.Values) }, cancellationToken);
            throw new RequestFailedException(409, "The specified entity already exists.", "EntityAlreadyExists", null);
        }
    }

    private static EngineHarness WithOffers(
        IReadOnlyList<Promotion> promotions, IReadOnlyList<Recommendation> recommendations, Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var call = new EngineHarness(settings, services);
        call.Erp.Setup(e => e.GetPromotionsAsync("C-1001", It.IsAny<CancellationToken>())).ReturnsAsync(promotions);
        call.Erp.Setup(e => e.GetRecommendationsAsync("C-1001", It.IsAny<int>(), It.IsAny<CancellationToken>())).ReturnsAsync(recommendations);
        return call;
    }
}
