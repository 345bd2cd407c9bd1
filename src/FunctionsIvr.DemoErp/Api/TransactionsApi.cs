using FunctionsIvr.DemoErp.Data;
using FunctionsIvr.DemoErp.Hosting;

namespace FunctionsIvr.DemoErp.Api;

/// <summary>Two-phase order placement: prepare reserves, commit orders (idempotent), abort releases (idempotent).</summary>
public static class TransactionsApi
{
    public static IEndpointRouteBuilder MapTransactionsApi(this IEndpointRouteBuilder app)
    {
        var transactions = app.MapGroup("/transactions");

        transactions.MapPost("/", (HttpContext context, DemoErpStore store, IdempotencyCache idempotency, PrepareTransactionRequest body) =>
            idempotency.RunAsync(context, "transactions", body, () => store.Prepare(body), StatusCodes.Status201Created));

        transactions.MapPost("/commit", (DemoErpStore store, TransactionReference body) => TypedResults.Ok(store.Commit(body.TransactionId)));

        transactions.MapPost("/abort", (DemoErpStore store, TransactionReference body) => TypedResults.Ok(store.Abort(body.TransactionId)));
        return app;
    }
}
