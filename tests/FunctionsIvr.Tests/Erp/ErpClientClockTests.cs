using System.Net;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

/// <summary>The ERP's clock as its prepare answer's <c>Date</c> header shows it, against a stub ERP at the HTTP edge.</summary>
public class ErpClientClockTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    private const string PreparedJson = """
        {"transactionId":"tx-1","status":"prepared","expiresAt":"2026-11-02T09:47:00+00:00","orderNumber":"ZS/2026/000001",
         "total":43.80,"currency":"PLN","lines":[]}
        """;

    [Fact]
    public async Task PrepareTransaction_DateHeaderSevenMinutesAhead_ErpClockAheadBySevenMinutes()
    {
        var client = Client(response => response.Headers.TryAddWithoutValidation("Date", "Mon, 02 Nov 2026 09:37:00 GMT"));

        var prepared = await client.PrepareTransactionAsync(Request, "key-1");

        Assert.Equal(TimeSpan.FromMinutes(7), prepared.ErpClockAhead);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("yesterday at noon")]
    public async Task PrepareTransaction_DateHeaderMissingOrUnreadable_ClockUnknown(string? date)
    {
        var client = Client(response =>
        {
            if (date is not null) response.Headers.TryAddWithoutValidation("Date", date);
        });

        var prepared = await client.PrepareTransactionAsync(Request, "key-1");

        Assert.Null(prepared.ErpClockAhead);
    }

    private static PrepareTransactionRequest Request => new() { ContactId = "c-1", Lines = [new OrderLineRequest("CEM-325-25", 2)] };

    private static ErpClient Client(Action<HttpResponseMessage> headers)
    {
        var erp = new StubErpHandler((_, _, _) =>
        {
            var response = StubErpHandler.Json(HttpStatusCode.Created, PreparedJson);
            headers(response);
            return Task.FromResult(response);
        });
        return new ErpClient(new HttpClient(erp), ErpClientResilienceTests.Options(), timeProvider: new Fakes.ManualTimeProvider(Now));
    }
}
