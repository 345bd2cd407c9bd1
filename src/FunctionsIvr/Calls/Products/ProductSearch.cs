using FunctionsIvr.Calls.Orders;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Calls.Products;

/// <summary>Finds the one product a code names, and points the Session at it for ordering.</summary>
internal static class ProductSearch
{
    /// <summary>
    /// The product whose code is <paramref name="code"/>, or, since a keypad has no letters or dashes, whose code's
    /// digits are exactly the digits keyed (<c>32525</c> for <c>CEM-325-25</c>). A search hit that only contains the
    /// digits (in the name, or as part of a longer code) is not taken: the caller could order the wrong product. Nor is
    /// one of two codes with the same digits (<c>PUST-CER-25</c>, <c>PUST-BET-25</c>): the keypad cannot tell them
    /// apart, so the caller hears "not found" (the call log says why) rather than the price of a product they did not mean.
    /// </summary>
    public static async Task<Product?> FindAsync(CallContext ctx, string code)
    {
        var found = await ctx.Service<ErpClient>().SearchProductsAsync(code, limit: 10, ctx.CancellationToken);
        if (found.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase)) is { } exact) return exact;
        var byDigits = found.Where(p => SpokenNumbers.Digits(p.Code) == code).DistinctBy(p => p.Code, StringComparer.OrdinalIgnoreCase).ToList();
        if (byDigits.Count > 1)
        {
            ctx.Note($"code {code} keyed: {byDigits.Count} products have these digits ({string.Join(", ", byDigits.Select(p => p.Code))}); none taken");
            return null;
        }

        return byDigits.FirstOrDefault();
    }

    public static void Select(CallContext ctx, Product product)
    {
        LookAt(ctx, product.Code);
        SessionNumbers.Set(ctx, OrderKeys.Stock, SpokenNumbers.WholeUnits(product.Stock));
    }

    /// <summary>
    /// The caller is on this product now: an order heard earlier is no longer what the call is about, so a later
    /// transfer's card (<see cref="Agents.ScreenPop"/>) names the product, not that order.
    /// </summary>
    public static void LookAt(CallContext ctx, string code)
    {
        ctx.Set(OrderKeys.ProductCode, code);
        ctx.Set(OrderKeys.NumberDigits, null);
        ctx.Set(OrderKeys.Status, null);
    }

    public static long Stock(CallContext ctx) => SessionNumbers.Long(ctx, OrderKeys.Stock) ?? 0;
}
