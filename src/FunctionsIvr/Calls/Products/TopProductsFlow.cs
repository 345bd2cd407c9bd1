using FunctionsIvr.Calls.Orders;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Products;

/// <summary>
/// "The usual" (main menu 5, callers with an account): the caller's three most-ordered products, each read as its
/// position, code digits and price (the price left out when the ERP gives it in a currency the prompts do not name, or as zero);
/// then 1–3 orders that one (quantity, confirmation, placement), 9 the main menu. The chosen product is looked up again
/// for today's price and stock before the quantity is asked.
/// </summary>
public sealed class TopProductsFlow(IOptions<OrdersOptions> options) : IFlowModule
{
    public const int MaxRead = 3;

    private const string Prefix = Steps.TopProducts;
    private const string None = "top_products_none";
    private const string Item = "top_products_item";
    private const string Position = "top_products_position";
    private const string Code = "top_products_code";
    private const string Amount = "top_products_amount";
    private const string Next = "top_products_next";
    private const string Menu = "top_products_menu";
    private const string Unavailable = "top_products_unavailable";
    private const string OutOfStock = "top_products_out_of_stock";
    private const string Order = "top_products_order";
    private const string Place = "top_products_place";

    private const string StateKey = "top";

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(
            ProductPrompts.NoTopProducts, ProductPrompts.TopProduct, ProductPrompts.TopProductsMenu, ProductPrompts.ProductNotFound,
            ProductPrompts.OutOfStock, Prompts.MenuRetry);

        flow.Step(Steps.TopProducts)
            .Enter(async ctx =>
            {
                if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.MainMenu);
                var top = (await ctx.Service<ErpClient>().GetTopProductsAsync(contactId, MaxRead, ctx.CancellationToken))
                    .Take(MaxRead)
                    .Select(p => new TopItem(p.ProductCode, p.Price, p.Currency))
                    .ToList();
                if (top.Count == 0) return CallContext.Goto(None);
                await CallStateLists.SaveAsync(ctx, StateKey, top);
                SessionNumbers.Set(ctx, OrderKeys.TopCount, top.Count);
                Show(ctx, top[0], 0);
                return CallContext.Goto(Item);
            })
            .Then(Steps.MainMenu);

        flow.Step(None)
            .Enter(ctx => ctx.Play(ProductPrompts.NoTopProducts))
            .Then(Steps.MainMenu);

        flow.Step(Item)
            .Enter(ctx => ctx.Play(ProductPrompts.TopProduct))
            .Then(Position);

        flow.Step(Position)
            .Enter(ctx => ctx.SayNumber(Index(ctx) + 1))
            .Then(Code);

        flow.Step(Code)
            .Enter(ctx => SpokenNumbers.Digits(ctx.Get(OrderKeys.ProductCode)) is { Length: > 0 } digits
                ? ctx.SayDigits(digits)
                : CallContext.Goto(PriceReadout.Start(Amount)))
            .Then(PriceReadout.Start(Amount));

        PriceReadout.Define(flow, Amount, then: Next);

        flow.Step(Next)
            .Enter(async ctx =>
            {
                var index = Index(ctx) + 1;
                if (index >= Count(ctx) || await ItemAtAsync(ctx, index) is not { } item) return CallContext.Goto(Menu);
                Show(ctx, item, index);
                return CallContext.Goto(Item);
            })
            .Then(Menu);

        flow.Step(Menu)
            .Enter(ctx => ctx.Ask(ctx.Tries > 0 ? Prompts.MenuRetry : ProductPrompts.TopProductsMenu, maxDigits: 1))
            .Resume(async ctx =>
            {
                if (ctx.Digits == "9") return CallContext.Goto(Steps.MainMenu);
                if (QuantitySteps.Parse(ctx.Digits ?? "") is not { } choice || choice < 1 || choice > Count(ctx))
                    return CallContext.Retry(ctx.Digits is null ? "no key pressed" : "key not in menu");
                if (await ItemAtAsync(ctx, choice - 1) is not { } item) return CallContext.Retry("top products lost");
                if (await ProductSearch.FindAsync(ctx, item.Code) is not { } product) return CallContext.Goto(Unavailable);
                ProductSearch.Select(ctx, product);
                return ProductSearch.Stock(ctx) > 0 ? QuantitySteps.Start(ctx, Order) : CallContext.Goto(OutOfStock);
            })
            .MaxTries(3, thenGoTo: Steps.MainMenu);

        flow.Step(Unavailable)
            .Enter(ctx => ctx.Play(ProductPrompts.ProductNotFound))
            .Then(Menu);

        flow.Step(OutOfStock)
            .Enter(ctx => ctx.Play(ProductPrompts.OutOfStock))
            .Then(Menu);

        QuantitySteps.Define(flow, Order, OrderPrompts.OrderConfirm, confirmed: Place, back: Menu, options.Value.MaxQuantity, limitToStock: true);

        flow.Step(Place)
            .Enter(ctx => PlaceOrderSteps.PlaceAsync(
                ctx, Prefix, [new OrderLineRequest(ctx.Get(OrderKeys.ProductCode) ?? "", ProductLookupFlow.QuantityOf(ctx))]))
            .Then(Steps.MainMenu);

        PlaceOrderSteps.Define(flow, Prefix, afterRejected: Menu);
    }

    private static void Show(CallContext ctx, TopItem item, int index)
    {
        SessionNumbers.Set(ctx, OrderKeys.TopIndex, index);
        ProductSearch.LookAt(ctx, item.Code);
        // A list kept by a version before currencies were checked has none: it was said in the prompts' currency.
        PriceReadout.Set(ctx, item.Price, item.Currency ?? ctx.Service<SpokenMoney>().PromptCurrency, item.Code);
    }

    private static async Task<TopItem?> ItemAtAsync(CallContext ctx, int index)
    {
        var top = await CallStateLists.LoadAsync<TopItem>(ctx, StateKey);
        if (top is null && ctx.Get(CallerKeys.ContactId) is { } contactId)
        {
            ctx.Note("top products not in the call state: read again from the ERP");
            top = (await ctx.Service<ErpClient>().GetTopProductsAsync(contactId, MaxRead, ctx.CancellationToken))
                .Take(MaxRead).Select(p => new TopItem(p.ProductCode, p.Price, p.Currency)).ToList();
        }

        return top is not null && index >= 0 && index < top.Count ? top[index] : null;
    }

    private static int Index(CallContext ctx) => SessionNumbers.Int(ctx, OrderKeys.TopIndex) ?? 0;

    private static int Count(CallContext ctx) => SessionNumbers.Int(ctx, OrderKeys.TopCount) ?? 0;
}

/// <summary>A top product as read out: its code and its price.</summary>
internal sealed record TopItem(string Code, decimal Price, string? Currency = null);
