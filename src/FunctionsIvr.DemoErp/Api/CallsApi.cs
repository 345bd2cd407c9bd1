using FunctionsIvr.DemoErp.Data;
using FunctionsIvr.DemoErp.Hosting;

namespace FunctionsIvr.DemoErp.Api;

public static class CallsApi
{
    public static IEndpointRouteBuilder MapCallsApi(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls");

        calls.MapPost("/", (HttpContext context, DemoErpStore store, IdempotencyCache idempotency, CreateCallRecordRequest body) =>
            idempotency.RunAsync(context, "calls", body, () => store.CreateCall(body), StatusCodes.Status201Created, c => "/calls/" + c.Id));

        calls.MapGet("/{id}", (DemoErpStore store, string id) => TypedResults.Ok(store.Call(id)));

        calls.MapPatch("/{id}", (DemoErpStore store, string id, UpdateCallRecordRequest body) => TypedResults.Ok(store.UpdateCall(id, body)));
        return app;
    }
}
