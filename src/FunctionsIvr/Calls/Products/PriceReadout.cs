using FunctionsIvr.Calls.Orders;

namespace FunctionsIvr.Calls.Products;

/// <summary>
/// Says the price in the Session (<see cref="OrderKeys.Price"/>, hundredths): the whole units, then the hundredths only
/// when there are any. A price that is not to be said (<see cref="Set"/>) is skipped.
/// </summary>
internal static class PriceReadout
{
    // The step names are carried in Sessions of calls in progress: kept as they were when only złoty were said.
    public static string Start(string prefix) => prefix + "_zloty";

    /// <summary>Keeps <paramref name="price"/> for the read-out, or nothing when its currency is not the prompts' (<see cref="SpokenMoney"/>).</summary>
    public static void Set(CallContext ctx, decimal price, string? currency, string productCode)
    {
        if (ctx.Service<SpokenMoney>().CanSay(ctx, SpokenNumbers.Hundredths(price) / 100m, currency, "price of " + productCode))
            SessionNumbers.Set(ctx, OrderKeys.Price, SpokenNumbers.Hundredths(price));
        else
            ctx.Set(OrderKeys.Price, null);
    }

    public static bool Known(CallContext ctx) => Price(ctx) is not null;

    public static void Define(FlowBuilder flow, string prefix, string then)
    {
        var hundredths = prefix + "_grosze";

        flow.Step(Start(prefix))
            .Enter(ctx => Price(ctx) is { } price ? ctx.SayNumber(price / 100) : CallContext.Goto(then))
            .Resume(ctx => CallContext.Goto((Price(ctx) ?? 0) % 100 == 0 ? then : hundredths));

        flow.Step(hundredths)
            .Enter(ctx => ctx.SayNumber((Price(ctx) ?? 0) % 100))
            .Then(then);
    }

    private static long? Price(CallContext ctx) => SessionNumbers.Long(ctx, OrderKeys.Price);
}
