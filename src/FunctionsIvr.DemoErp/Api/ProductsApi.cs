using FunctionsIvr.DemoErp.Data;

namespace FunctionsIvr.DemoErp.Api;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/products", (DemoErpStore store, string? search, int? page, int? pageSize) =>
        {
            var (p, size) = Paging.Read(page, pageSize);
            return TypedResults.Ok(store.Products(search, p, size));
        });
        return app;
    }
}
