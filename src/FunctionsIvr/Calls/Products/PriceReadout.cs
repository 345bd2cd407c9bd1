using FunctionsIvr.Calls.Orders;

namespace FunctionsIvr.Calls.Products;

/// <summary>Says the price in the Session (<see cref="OrderKeys.Price"/>, grosze): the whole złoty, then the grosze only when there are any.</summary>
internal static class PriceReadout
{
    public static string Start(string prefix) => prefix + "_zloty";

    public static void Define(FlowBuilder flow, string prefix, string then)
    {
        var grosze = prefix + "_grosze";

        flow.Step(Start(prefix))
            .Enter(ctx => ctx.SayNumber(Price(ctx) / 100))
            .Resume(ctx => CallContext.Goto(Price(ctx) % 100 == 0 ? then : grosze));

        flow.Step(grosze)
            .Enter(ctx => ctx.SayNumber(Price(ctx) % 100))
            .Then(then);
    }

    private static long Price(CallContext ctx) => SessionNumbers.Long(ctx, OrderKeys.Price) ?? 0;
}
