using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Calls.Offers;

/// <summary>
/// What is on offer for this caller: up to three promotions (code, discount or promotional price, valid-to date), then up
/// to three personal recommendations (code, price), read back one action per callback; then 1 to hear them again,
/// 9 for the menu. Ordering is done through the product lookup, and the menu prompt says so. Campaign numbers may
/// start calls here. Guests have no offers and go to their menu.
/// </summary>
public sealed class OffersFlow : IFlowModule
{
    public const string PromotionPrompt = "promotion";
    public const string PromotionPercentPrompt = "promotion_percent";
    public const string PromotionPricePrompt = "promotion_price";
    public const string RecommendationPrompt = "recommendation";
    public const string RecommendationPricePrompt = "recommendation_price";
    public const string MenuPrompt = "offers_menu";
    public const string NoOffersPrompt = "no_offers";

    public const string ReadOut = Steps.Offers + "_read";
    public const string Menu = Steps.Offers + "_menu";
    public const string NoOffers = Steps.Offers + "_none";
    public const string Unavailable = Steps.Offers + "_unavailable";

    public const int MaxEach = 3;

    public void Define(FlowBuilder flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        flow.UsesPrompts(PromotionPrompt, PromotionPercentPrompt, PromotionPricePrompt, RecommendationPrompt, RecommendationPricePrompt,
            NoOffersPrompt, Prompts.Apology);

        flow.Step(Steps.Offers)
            .Enter(StartAsync)
            .Then(Steps.MainMenu);

        Announcement.Define(flow, ReadOut, next: Menu, rebuild: Steps.Offers);

        flow.Menu(Menu, MenuPrompt, Prompts.MenuRetry)
            .On('1', ctx => Announcement.Restart(ctx, ReadOut))
            .On('9', Steps.MainMenu)
            .MaxTries(3, thenGoTo: Steps.MainMenu);

        flow.Step(NoOffers)
            .Enter(ctx => ctx.Play(NoOffersPrompt))
            .Then(Steps.MainMenu);

        // Offers are a courtesy: when the ERP cannot say (or could answer only part and that part is empty), an apology
        // and the menu (where 0 still reaches a person).
        flow.Step(Unavailable)
            .Enter(ctx => ctx.Play(Prompts.Apology))
            .Then(Steps.MainMenu);
    }

    private static async Task<StepResult> StartAsync(CallContext ctx)
    {
        if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.GuestMenu);

        var erp = ctx.Service<ErpClient>();
        var promotions = TryReadAsync(erp.GetPromotionsAsync(contactId, ctx.CancellationToken));
        var recommendations = TryReadAsync(erp.GetRecommendationsAsync(contactId, MaxEach, ctx.CancellationToken));
        var (promotionList, promotionFailure) = await promotions;
        var (recommendationList, recommendationFailure) = await recommendations;
        if (promotionFailure is { } p) ctx.Note($"promotions not read: ERP {p}");
        if (recommendationFailure is { } r) ctx.Note($"recommendations not read: ERP {r}");
        if (promotionFailure is not null && recommendationFailure is not null) return CallContext.Goto(Unavailable);

        var money = ctx.Service<SpokenMoney>();
        var parts = new List<Spoken>();
        foreach (var promotion in promotionList.Select(p => Say(ctx, money, p)).OfType<List<Spoken>>().Take(MaxEach)) parts.AddRange(promotion);
        foreach (var recommendation in recommendationList.Select(r => Say(ctx, money, r)).OfType<List<Spoken>>().Take(MaxEach)) parts.AddRange(recommendation);
        if (parts.Count > 0) return await Announcement.StartAsync(ctx, ReadOut, parts);
        // "No offers today" only when both lists were read: with one unread, the caller hears the apology instead.
        return promotionFailure is null && recommendationFailure is null ? CallContext.Goto(NoOffers) : CallContext.Goto(Unavailable);
    }

    /// <summary>
    /// "Promotion on product [digits]: [15] percent off, valid until [date]" or "… [89] [50] złoty, valid until [date]".
    /// Null when it cannot be said (no code with digits, neither discount nor price, a price in a currency the prompts do
    /// not name: the price is the offer). A discount is rounded down, so the caller is never promised more than the ERP
    /// gives.
    /// </summary>
    private static List<Spoken>? Say(CallContext ctx, SpokenMoney money, Promotion promotion)
    {
        if (Spoken.DigitsOf(promotion.ProductCode) is not { } code) return null;
        List<Spoken> parts = [Spoken.Prompt(PromotionPrompt), code];
        if (promotion.DiscountPercent is { } percent && percent >= 1)
        {
            parts.Add(Spoken.Number((long)Math.Floor(percent)));
            parts.Add(Spoken.Prompt(PromotionPercentPrompt));
        }
        else if (promotion.PromoPrice is { } price && money.CanSay(ctx, SpokenNumbers.Hundredths(price) / 100m, promotion.Currency, $"promotion {promotion.Id} on {promotion.ProductCode}"))
        {
            parts.AddRange(Spoken.Amount(price));
            parts.Add(Spoken.Prompt(PromotionPricePrompt));
        }
        else
        {
            return null;
        }

        parts.Add(Spoken.Date(promotion.ValidTo));
        return parts;
    }

    /// <summary>
    /// "We recommend product [digits], price [45] złoty"; without the price when it is zero or the ERP gives it in a currency the
    /// prompts do not name; null without a code to key in.
    /// </summary>
    private static List<Spoken>? Say(CallContext ctx, SpokenMoney money, Recommendation recommendation)
    {
        if (Spoken.DigitsOf(recommendation.ProductCode) is not { } code) return null;
        return money.CanSay(ctx, SpokenNumbers.Hundredths(recommendation.Price) / 100m, recommendation.Currency, "price of recommended " + recommendation.ProductCode)
            ? [Spoken.Prompt(RecommendationPrompt), code, Spoken.Prompt(RecommendationPricePrompt), .. Spoken.Amount(recommendation.Price)]
            : [Spoken.Prompt(RecommendationPrompt), code];
    }

    /// <summary>One ERP read that may fail without failing the other: the items, or why there are none.</summary>
    private static async Task<(IReadOnlyList<T> Items, ErpErrorKind? Failure)> TryReadAsync<T>(Task<IReadOnlyList<T>> read)
    {
        try
        {
            return (await read, null);
        }
        catch (ErpException e)
        {
            return ([], e.Kind);
        }
    }
}
