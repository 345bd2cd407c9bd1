using System.Net;

namespace FunctionsIvr.ErpContractTests;

/// <summary>Two-phase commit: prepare reserves, commit is idempotent, abort releases and is idempotent, an expired prepare cannot commit.</summary>
[Collection(ErpContractCollection.Name)]
public class TransactionsContractTests(ErpUnderTest erp)
{
    [Fact]
    public async Task Prepare_ReservesStockAndAnswersTheOrderNumberAndTotal()
    {
        var before = await erp.StockAsync(erp.ProductCode);

        var prepared = await PrepareAsync(quantity: 7);

        Shape.Prepared(prepared);
        Assert.True(Shape.DateTime(prepared, "expiresAt") > DateTimeOffset.UnixEpoch);
        Assert.Equal(before - 7, await erp.StockAsync(erp.ProductCode));
        await AbortAsync(Shape.String(prepared, "transactionId"));
    }

    [Fact]
    public async Task Prepare_AnswersADateOnTheClockOfItsExpiry()
    {
        // The IVR measures the time left on a reservation as expiresAt minus the answer's Date, so a middleware whose
        // clock is off from the IVR's does not get every order refused. Both must come from the same clock.
        using var response = await erp.PostAsync("transactions",
            new { contactId = await ContactIdAsync(), lines = new[] { new { productCode = erp.ProductCode, quantity = 1 } }, callId = "contract-test", ttlSeconds = 120 },
            "contract-" + Guid.NewGuid().ToString("N"));
        var date = response.Headers.Date;
        var prepared = await Shape.OkObjectAsync(response, HttpStatusCode.Created);
        await AbortAsync(Shape.String(prepared, "transactionId"));

        Assert.True(date is not null, "The prepare answer must carry an HTTP Date header (RFC 9110, 6.6.1).");
        var left = Shape.DateTime(prepared, "expiresAt") - date.Value;
        // Date has whole seconds; a few seconds more allow for a slow answer.
        Assert.InRange(left, TimeSpan.FromSeconds(115), TimeSpan.FromSeconds(121));
    }

    [Fact]
    public async Task Prepare_SameIdempotencyKeyTwice_OneTransactionOneReservation()
    {
        var before = await erp.StockAsync(erp.ProductCode);
        var key = "contract-" + Guid.NewGuid().ToString("N");

        var first = await PrepareAsync(quantity: 4, key);
        var second = await PrepareAsync(quantity: 4, key);

        Assert.Equal(Shape.String(first, "transactionId"), Shape.String(second, "transactionId"));
        Assert.Equal(Shape.String(first, "orderNumber"), Shape.String(second, "orderNumber"));
        Assert.Equal(before - 4, await erp.StockAsync(erp.ProductCode));
        await AbortAsync(Shape.String(first, "transactionId"));
    }

    [Fact]
    public async Task Commit_Twice_AnswersTheSameOrderBothTimes()
    {
        var prepared = await PrepareAsync(quantity: 2);
        var id = Shape.String(prepared, "transactionId");

        var first = await CommitAsync(id);
        var second = await CommitAsync(id);

        Assert.Equal("committed", Shape.String(first, "status"));
        var order = Shape.Object(first, "order");
        Shape.Order(order);
        Assert.Equal(Shape.String(prepared, "orderNumber"), Shape.String(order, "number"));
        Assert.Equal(Shape.Number(prepared, "total"), Shape.Number(order, "total"));
        Assert.Equal(Shape.String(order, "id"), Shape.String(Shape.Object(second, "order"), "id"));
        await erp.PatchAsync("orders/" + Uri.EscapeDataString(Shape.String(order, "id")), new { status = "cancelled" });
    }

    [Fact]
    public async Task Abort_ReleasesTheReservationAndIsIdempotent()
    {
        var before = await erp.StockAsync(erp.ProductCode);
        var id = Shape.String(await PrepareAsync(quantity: 5), "transactionId");

        var first = await AbortAsync(id);
        var second = await AbortAsync(id);

        Assert.Equal("aborted", Shape.String(first, "status"));
        Assert.Equal("aborted", Shape.String(second, "status"));
        Assert.Equal(before, await erp.StockAsync(erp.ProductCode));
    }

    [Fact]
    public async Task Commit_AfterAbort_AnswersConflictProblem()
    {
        var id = Shape.String(await PrepareAsync(quantity: 1), "transactionId");
        await AbortAsync(id);

        using var response = await erp.PostAsync("transactions/commit", new { transactionId = id });

        await Shape.ProblemAsync(response, HttpStatusCode.Conflict, HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Commit_AfterExpiry_AnswersProblemAndTheStockIsBack()
    {
        var before = await erp.StockAsync(erp.ProductCode);
        var prepared = await PrepareAsync(quantity: 3, ttlSeconds: 1);

        // ttlSeconds=1 must be honoured (the contract allows at most a few seconds more); wait past it by the wall clock.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var response = await erp.PostAsync("transactions/commit", new { transactionId = Shape.String(prepared, "transactionId") });

        await Shape.ProblemAsync(response, HttpStatusCode.Gone, HttpStatusCode.Conflict);
        Assert.Equal(before, await erp.StockAsync(erp.ProductCode));
    }

    [Fact]
    public async Task Prepare_MoreThanInStock_AnswersConflictProblemAndReservesNothing()
    {
        var before = await erp.StockAsync(erp.ProductCode);

        using var response = await erp.PostAsync("transactions",
            new { contactId = await ContactIdAsync(), lines = new[] { new { productCode = erp.ProductCode, quantity = before + 1 } } },
            "contract-" + Guid.NewGuid().ToString("N"));

        await Shape.ProblemAsync(response, HttpStatusCode.Conflict, HttpStatusCode.UnprocessableEntity);
        Assert.Equal(before, await erp.StockAsync(erp.ProductCode));
    }

    [Fact]
    public async Task Commit_UnknownTransaction_Answers404Problem()
    {
        using var response = await erp.PostAsync("transactions/commit", new { transactionId = "tx-no-such-transaction" });

        await Shape.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Prepare_SameIdempotencyKeyOtherBasket_Answers422()
    {
        // A middleware that replayed the first answer would give a changed basket the old transaction.
        var key = "contract-" + Guid.NewGuid().ToString("N");
        var first = Shape.String(await PrepareAsync(quantity: 1, key), "transactionId");
        try
        {
            using var other = await erp.PostAsync("transactions",
                new { contactId = await ContactIdAsync(), lines = new[] { new { productCode = erp.ProductCode, quantity = 2 } }, callId = "contract-test" }, key);

            await Shape.ProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        }
        finally
        {
            // The reservation would hold stock the other tests count.
            (await erp.PostAsync("transactions/abort", new { transactionId = first })).Dispose();
        }
    }

    [Fact]
    public async Task Abort_AfterCommit_Answers409()
    {
        // The IVR reads a 409 to an abort as "already committed": the order stands and must not be placed again.
        var id = Shape.String(await PrepareAsync(quantity: 1), "transactionId");
        var order = Shape.Object(await CommitAsync(id), "order");
        try
        {
            using var abort = await erp.PostAsync("transactions/abort", new { transactionId = id });

            await Shape.ProblemAsync(abort, HttpStatusCode.Conflict);
        }
        finally
        {
            // Not left as a real order in the ERP under test, whatever the abort answered.
            (await erp.PatchAsync("orders/" + Uri.EscapeDataString(Shape.String(order, "id")), new { status = "cancelled" })).Dispose();
        }
    }

    [Fact]
    public async Task Abort_AfterExpiry_Answers200Expired()
    {
        // The sweep aborts every reservation it finds expired; an error here would stop it at that entry on every pass.
        var id = Shape.String(await PrepareAsync(quantity: 1, ttlSeconds: 1), "transactionId");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var outcome = await AbortAsync(id);

        Assert.Equal("expired", Shape.String(outcome, "status"));
    }

    private async Task<string> ContactIdAsync() => Shape.String(await erp.KnownContactAsync(), "id");

    private async Task<JsonObject> PrepareAsync(int quantity, string? key = null, int? ttlSeconds = null)
    {
        using var response = await erp.PostAsync("transactions",
            new { contactId = await ContactIdAsync(), lines = new[] { new { productCode = erp.ProductCode, quantity } }, callId = "contract-test", ttlSeconds },
            key ?? "contract-" + Guid.NewGuid().ToString("N"));
        var prepared = await Shape.OkObjectAsync(response, HttpStatusCode.Created);
        Shape.Prepared(prepared);
        return prepared;
    }

    private async Task<JsonObject> CommitAsync(string id)
    {
        using var response = await erp.PostAsync("transactions/commit", new { transactionId = id });
        var outcome = await Shape.OkObjectAsync(response);
        Assert.Equal(id, Shape.String(outcome, "transactionId"));
        return outcome;
    }

    private async Task<JsonObject> AbortAsync(string id)
    {
        using var response = await erp.PostAsync("transactions/abort", new { transactionId = id });
        var outcome = await Shape.OkObjectAsync(response);
        Assert.Equal(id, Shape.String(outcome, "transactionId"));
        return outcome;
    }
}
