namespace FunctionsIvr.Calls;

/// <summary>
/// Entry steps of every flow module, in one place so the menus that lead there and the modules that define them
/// agree on the names. A convention test checks every one is defined.
/// </summary>
public static class Steps
{
    // Welcome: who is calling, greeting, menus.
    public const string Identify = "identify";
    public const string Greeting = "greeting";
    public const string MainMenu = "menu";
    public const string GuestMenu = "guest_menu";
    public const string VipOffer = "vip_offer";
    public const string Blocked = "blocked";

    // Orders: status and delivery date, change or cancel, repeat the last order.
    public const string OrderStatus = "order_status";
    public const string ChangeOrder = "change_order";
    public const string RepeatLastOrder = "repeat_order";

    // Products: price and stock by code (then order it), the caller's most-ordered products.
    public const string ProductLookup = "product_lookup";
    public const string TopProducts = "top_products";

    // Offers: promotions and personalised recommendations.
    public const string Offers = "offers";

    // Service: open complaints, FAQ.
    public const string Complaints = "complaints";
    public const string Faq = "faq";

    // People: transfer chain and call-back requests.
    public const string TransferToPerson = "transfer_agent";
    public const string CallbackRequest = "callback_request";
}
