using FunctionsIvr.DemoErp.Data;
using FunctionsIvr.DemoErp.Hosting;

namespace FunctionsIvr.DemoErp.Api;

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders");

        // status: one value or a comma-separated list (confirmed,in_preparation,shipped = the active orders).
        orders.MapGet("/", (DemoErpStore store, string? contactId, string? status, int? page, int? pageSize) =>
        {
            var (p, size) = Paging.Read(page, pageSize);
            var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = statuses.FirstOrDefault(s => !OrderStatuses.All.Contains(s));
            if (unknown is not null) throw ProblemException.Validation($"Unknown order status '{unknown}'.", "status");
            return TypedResults.Ok(store.Orders(contactId, statuses, p, size));
        });

        orders.MapGet("/{id}", (DemoErpStore store, string id) => TypedResults.Ok(store.Order(id)));

        orders.MapPost("/", (HttpContext context, DemoErpStore store, IdempotencyCache idempotency, CreateOrderRequest body) =>
            idempotency.RunAsync(context, "orders", body, () => store.CreateOrder(body), StatusCodes.Status201Created, o => "/orders/" + o.Id));

        orders.MapPatch("/{id}", (DemoErpStore store, string id, UpdateOrderRequest body) => TypedResults.Ok(store.UpdateOrder(id, body)));
        return app;
    }
}
