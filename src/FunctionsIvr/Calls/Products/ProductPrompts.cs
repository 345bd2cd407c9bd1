namespace FunctionsIvr.Calls.Products;

/// <summary>Prompts of the product flows (price and stock by code, the caller's top products).</summary>
public static class ProductPrompts
{
    public const string EnterProductCode = "enter_product_code";
    public const string ProductNotFound = "product_not_found";
    public const string ProductPrice = "product_price";
    public const string InStock = "in_stock";
    public const string OutOfStock = "out_of_stock";
    public const string ProductMenu = "product_menu";
    public const string ProductMenuGuest = "product_menu_guest";
    public const string TopProduct = "top_product";
    public const string TopProductsMenu = "top_products_menu";
    public const string NoTopProducts = "no_top_products";
}
