using System.Net;
using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static FunctionsIvr.Tests.Orders.OutboxFixtures;

namespace FunctionsIvr.Tests.Orders;

/// <summary>
/// The sweep's abort of an expired entry against an ERP that answers as the contract allows: abort of a committed
/// transaction is 409, and a problem's <c>type</c> may be <c>about:blank</c> "when only the status matters"
/// ("The IVR decides by the status; type and the extension members refine the message").
/// </summary>
public class ErpAbortsStatusTests
{
    [Theory]
    [InlineData("""{"type":"about:blank","title":"Conflict","status":409}""", "application/problem+json")]
    [InlineData("Conflict", "text/plain")]
    public async Task Sweep_ExpiredEntryTheErpCommitted_AbortAnswers409WithoutItsType_MarkedCommitted(string body, string contentType)
    {
        var (committed, status) = await SweepWhenTheAbortAnswers409(body, contentType);

        Assert.Equal(1, committed);
        Assert.Equal(OutboxStatus.Committed, status);
    }

    [Fact]
    public async Task Sweep_ExpiredEntry_AbortAnswers409NamingAnotherConflict_NotTakenForCommitted()
    {
        // "Already aborted" as a 409 (the contract says 200): the caller heard "accepted" and has no order, so the entry
        // must not be closed as committed; the sweep leaves it for its next pass and logs the refusal.
        var (committed, status) = await SweepWhenTheAbortAnswers409(
            """{"type":"urn:functionsivr:erp:transaction-aborted","title":"Aborted","status":409}""", "application/problem+json");

        Assert.Equal(0, committed);
        Assert.NotEqual(OutboxStatus.Committed, status);
    }

    /// <summary>An entry past its expiry, swept against an ERP whose abort answers 409 with <paramref name="body"/>.</summary>
    private static async Task<(int Committed, OutboxStatus? Status)> SweepWhenTheAbortAnswers409(string body, string contentType)
    {
        var outbox = new InMemoryOutboxStore();
        var queue = new CapturingWorkQueue();
        var time = new FunctionsIvr.Tests.Fakes.ManualTimeProvider(PreparedAt);
        await outbox.AddAsync(Entry());
        using var stub = new StubErpHandler((request, _, _) => request.RequestUri!.AbsolutePath.EndsWith("/transactions/abort", StringComparison.Ordinal)
            ? StubErpHandler.Reply(HttpStatusCode.Conflict, body, contentType)
            : StubErpHandler.Reply(HttpStatusCode.InternalServerError));
        var erp = new ErpClient(new HttpClient(stub), new ErpClientOptions { BaseUrl = new Uri("http://erp.test/"), ApiKey = "k", RetryDelayMs = 1 });
        var sweeper = new OutboxSweeper(outbox, queue, erp, new CommitOrderProcessor(erp, outbox, queue, time, NullLogger<CommitOrderProcessor>.Instance),
            time, Options.Create(new OrdersOptions()), NullLogger<OutboxSweeper>.Instance);
        time.Advance(TimeSpan.FromMinutes(12));

        var result = await sweeper.SweepAsync();

        return (result.Committed, (await outbox.GetAsync("tx-0001"))?.Status);
    }
}
