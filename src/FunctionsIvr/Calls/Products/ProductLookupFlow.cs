using FunctionsIvr.Calls.Orders;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Products;

/// <summary>
/// Price and stock by product code (main menu 3, guests too). The caller keys the code (up to 13 digits, # ends); an
/// unknown code is said so and asked again, three times at most. Then the price (whole units, hundredths if any; not at
/// all when the ERP prices it in a currency the prompts do not name) and the stock,
/// and a menu: 1 order it (callers with an account, when in stock; otherwise the menu prompt without it), 2 another
/// product, 9 back to the menu.
/// </summary>
public sealed class ProductLookupFlow(IOptions<OrdersOptions> options) : IFlowModule
{
    /// <summary>
    /// An EAN-13 barcode, printed on most building-material packs, is the longest code a caller reads off a product; the
    /// offers read product codes in full, so whatever they read can be keyed here.
    /// </summary>
    public const int MaxCodeDigits = 13;
    private const int MaxMisses = 3;

    private const string Prefix = Steps.ProductLookup;
    private const string Code = "product_lookup_code";
    private const string NotFound = "product_lookup_not_found";
    private const string Home = "product_lookup_home";
    private const string Price = "product_lookup_price";
    private const string Amount = "product_lookup_amount";
    private const string Stock = "product_lookup_stock";
    private const string StockCount = "product_lookup_stock_count";
    private const string Menu = "product_lookup_menu";
    private const string Order = "product_lookup_order";
    private const string Place = "product_lookup_place";

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(
            ProductPrompts.EnterProductCode, ProductPrompts.ProductNotFound, ProductPrompts.ProductPrice, ProductPrompts.InStock,
            ProductPrompts.OutOfStock, ProductPrompts.ProductMenu, ProductPrompts.ProductMenuGuest, Prompts.MenuRetry);

        flow.Step(Steps.ProductLookup)
            .Enter(ctx =>
            {
                ctx.Set(OrderKeys.ProductMisses, null);
                return CallContext.Goto(Code);
            })
            .Then(Code);

        flow.Step(Code)
            .Enter(ctx => ctx.Ask(ProductPrompts.EnterProductCode, MaxCodeDigits))
            .Resume(async ctx =>
            {
                if (ctx.Digits is not { } code) return CallContext.Retry("no product code entered");
                if (code.All(char.IsAsciiDigit) && await ProductSearch.FindAsync(ctx, code) is { } product)
                {
                    ProductSearch.Select(ctx, product);
                    PriceReadout.Set(ctx, product.Price, product.Currency, product.Code);
                    return CallContext.Goto(Price);
                }

                SessionNumbers.Set(ctx, OrderKeys.ProductMisses, (SessionNumbers.Int(ctx, OrderKeys.ProductMisses) ?? 0) + 1);
                return CallContext.Goto(NotFound);
            })
            .MaxTries(3, thenGoTo: Home);

        flow.Step(NotFound)
            .Enter(ctx => ctx.Play(ProductPrompts.ProductNotFound))
            .Resume(ctx => CallContext.Goto((SessionNumbers.Int(ctx, OrderKeys.ProductMisses) ?? 0) >= MaxMisses ? Home : Code));

        // Guests came from the guest menu and go back there.
        flow.Step(Home)
            .Enter(ctx => CallContext.Goto(HomeMenu(ctx)))
            .Then(Steps.MainMenu);

        flow.Step(Price)
            .Enter(ctx => PriceReadout.Known(ctx) ? ctx.Play(ProductPrompts.ProductPrice) : CallContext.Goto(Stock))
            .Then(PriceReadout.Start(Amount));

        PriceReadout.Define(flow, Amount, then: Stock);

        flow.Step(Stock)
            .Enter(ctx => ctx.Play(ProductSearch.Stock(ctx) > 0 ? ProductPrompts.InStock : ProductPrompts.OutOfStock))
            .Resume(ctx => CallContext.Goto(ProductSearch.Stock(ctx) > 0 ? StockCount : Menu));

        flow.Step(StockCount)
            .Enter(ctx => ctx.SayNumber(ProductSearch.Stock(ctx)))
            .Then(Menu);

        flow.Step(Menu)
            .Enter(ctx => ctx.Ask(
                ctx.Tries > 0 ? Prompts.MenuRetry : CanOrder(ctx) && ProductSearch.Stock(ctx) > 0 ? ProductPrompts.ProductMenu : ProductPrompts.ProductMenuGuest,
                maxDigits: 1))
            .Resume(ctx => ctx.Digits switch
            {
                "1" when CanOrder(ctx) && ProductSearch.Stock(ctx) > 0 => QuantitySteps.Start(ctx, Order),
                "2" => CallContext.Goto(Steps.ProductLookup),
                "9" => CallContext.Goto(Home),
                null => CallContext.Retry("no key pressed"),
                _ => CallContext.Retry("key not in menu"),
            })
            .MaxTries(3, thenGoTo: Home);

        QuantitySteps.Define(flow, Order, OrderPrompts.OrderConfirm, confirmed: Place, back: Menu, options.Value.MaxQuantity, limitToStock: true);

        flow.Step(Place)
            .Enter(ctx => PlaceOrderSteps.PlaceAsync(ctx, Prefix, [new OrderLineRequest(ctx.Get(OrderKeys.ProductCode) ?? "", QuantityOf(ctx))]))
            .Then(Steps.MainMenu);

        PlaceOrderSteps.Define(flow, Prefix, afterRejected: Menu);
    }

    /// <summary>Ordering needs an account: guests hear the menu without "press 1 to order" (and so does anyone hearing an out-of-stock product).</summary>
    private static bool CanOrder(CallContext ctx) => ctx.Get(CallerKeys.ContactId) is not null;

    internal static string HomeMenu(CallContext ctx) => ctx.Get(CallerKeys.Kind) == CallerKinds.Guest ? Steps.GuestMenu : Steps.MainMenu;

    internal static long QuantityOf(CallContext ctx) => SessionNumbers.Long(ctx, OrderKeys.Quantity) ?? 0;
}
