using System.Net;
using System.Text;
using FunctionsIvr.Simulator.Load;

namespace FunctionsIvr.Tests.Simulator.Load;

public class ErpOrderCheckTests
{
    [Fact]
    public void Compare_EveryAcceptedOrderOnceInTheErp_Passes()
    {
        var accepted = Accepted(("call-1", 1), ("call-2", 1), ("call-3", 0));

        var result = ErpOrderCheck.Compare(accepted, Placed(0, Order("o-1", "call-1", commits: 2), Order("o-2", "call-2")));

        Assert.True(result.Passed);
        Assert.Equal(2, result.Accepted);
        Assert.Equal(2, result.CommittedExactlyOnce);
        Assert.Equal(1, result.CommitRedeliveries);
        Assert.Equal("yes", result.Verdict);
    }

    [Fact]
    public void Compare_EveryAcceptedOrderOnceButTransactionsStillOpen_PassesAndSaysSo()
    {
        var result = ErpOrderCheck.Compare(Accepted(("call-1", 1)), Placed(2, Order("o-1", "call-1")));

        Assert.True(result.Passed);
        Assert.Equal("yes (2 prepared transactions still open in the ERP, released when they expire)", result.Verdict);
    }

    [Fact]
    public void Compare_AnAcceptedOrderTwiceInTheErp_CountsADuplicate()
    {
        var accepted = Accepted(("call-1", 1), ("call-2", 1));

        var result = ErpOrderCheck.Compare(accepted, Placed(0, Order("o-1", "call-1"), Order("o-2", "call-1"), Order("o-3", "call-2")));

        Assert.False(result.Passed);
        Assert.Equal(2, result.CommittedExactlyOnce);
        Assert.Equal(1, result.Duplicates);
        Assert.Equal("NO (2 of 2 accepted committed exactly once; 1 duplicates)", result.Verdict);
    }

    [Fact]
    public void Compare_AnAcceptedOrderNotInTheErp_CountsItMissing()
    {
        var accepted = Accepted(("call-1", 1), ("call-2", 2));

        var result = ErpOrderCheck.Compare(accepted, Placed(1, Order("o-1", "call-2")));

        Assert.Equal(1, result.CommittedExactlyOnce);
        Assert.Equal(2, result.Missing);
        Assert.Equal(1, result.OpenTransactions);
        Assert.Equal("NO (1 of 3 accepted committed exactly once; 2 missing)", result.Verdict);
    }

    [Fact]
    public void Compare_OrderOfACallThatNeverHeardAccepted_IsUnannouncedAndOtherCallsAreIgnored()
    {
        var accepted = Accepted(("call-1", 0));

        var result = ErpOrderCheck.Compare(accepted, Placed(0, Order("o-1", "call-1"), Order("o-2", "someone-else"), Order("o-3", null)));

        Assert.Equal(1, result.Unannounced);
        Assert.Equal(0, result.Duplicates);
        Assert.False(result.Passed);
    }

    [Fact]
    public async Task Run_CommitArrivesOnTheSecondLook_WaitsForItAndPasses()
    {
        var handler = new Responses(
            Json("""{"orders":[],"openTransactions":1}"""),
            Json("""{"orders":[{"id":"o-1","number":"ZS/2026/001400","callId":"call-1","transactionId":"tx-1","commitRequests":1}],"openTransactions":0}"""));
        using var http = new HttpClient(handler);

        var result = await Check(http, settle: TimeSpan.FromSeconds(60)).RunAsync(Accepted(("call-1", 1)));

        Assert.True(result.Passed);
        Assert.True(result.Drained);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("http://erp.test/admin/placed-orders", r.RequestUri!.ToString()));
        Assert.All(handler.Requests, r => Assert.Equal("the-key", r.Headers.GetValues("X-Api-Key").Single()));
    }

    [Fact]
    public async Task Run_OrderNeverArrives_SettlesAndReportsItMissing()
    {
        using var http = new HttpClient(new Responses(Json("""{"orders":[],"openTransactions":0}""")));

        var result = await Check(http).RunAsync(Accepted(("call-1", 1)));

        Assert.False(result.Drained);
        Assert.Equal(1, result.Missing);
        Assert.StartsWith("NO (0 of 1", result.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ErpWithoutTheAdminSwitch_ReportsWhy()
    {
        using var http = new HttpClient(new Responses(() => new HttpResponseMessage(HttpStatusCode.NotFound)));

        var result = await Check(http).RunAsync(Accepted(("call-1", 1)));

        Assert.False(result.Passed);
        Assert.Contains("answered 404", result.Verdict, StringComparison.Ordinal);
    }

    /// <param name="settle">Short where the check must give up; long where it must not give up before the next look.</param>
    private static ErpOrderCheck Check(HttpClient http, TimeSpan? settle = null) => new(http, new OrderCheckOptions
    {
        ErpUrl = new Uri("http://erp.test/"),
        ApiKey = "the-key",
        PollInterval = TimeSpan.FromMilliseconds(10),
        Settle = settle ?? TimeSpan.FromMilliseconds(200),
        DrainTimeout = TimeSpan.FromSeconds(90),
    }, TimeProvider.System);

    private static Dictionary<string, int> Accepted(params (string CallId, int Times)[] calls) => calls.ToDictionary(c => c.CallId, c => c.Times);

    private static PlacedOrdersDocument Placed(int open, params PlacedOrderEntry[] orders) => new(orders, open);

    private static PlacedOrderEntry Order(string id, string? callId, int commits = 1) => new(id, "ZS/" + id, callId, "tx-" + id, commits);

    private static Func<HttpResponseMessage> Json(string body) =>
        () => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Answers in turn, the last answer from then on, and keeps the requests.</summary>
    private sealed class Responses(params Func<HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int next;

        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
                return Task.FromResult(answers[Math.Min(next++, answers.Length - 1)]());
            }
        }
    }
}
