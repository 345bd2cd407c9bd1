using FunctionsIvr.Tests.Fakes;
using System.Net;
using Azure.Core;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

/// <summary>Timeouts, retries and the circuit breaker, against a stub ERP at the HTTP edge.</summary>
public class ErpClientResilienceTests
{
    private const string OrderJson = """
        {"id":"o-1","number":"ZS/2025/000001","contactId":"c-1","status":"confirmed","createdAt":"2025-01-15T10:00:00+00:00",
         "lines":[{"productCode":"CEM-325-25","name":"Cement","quantity":2,"unit":"worek","unitPrice":21.90,"lineTotal":43.80}],
         "total":43.80,"currency":"PLN","estimatedDelivery":"2025-01-17"}
        """;

    private static readonly CreateOrderRequest NewOrder = new() { ContactId = "c-1", Lines = [new OrderLineRequest("CEM-325-25", 2)] };

    [Fact]
    public async Task GetOrder_ErpAnswers503ThenOk_RetriesOnceAndReturnsTheOrder()
    {
        var (client, erp) = Create((_, n, _) => n == 1 ? StubErpHandler.Reply(HttpStatusCode.ServiceUnavailable) : StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));

        var order = await client.GetOrderAsync("o-1");

        Assert.Equal("ZS/2025/000001", order.Number);
        Assert.Equal(2, erp.Requests.Count);
    }

    [Fact]
    public async Task GetOrder_ErpAnswers429Then200_Retried()
    {
        var (client, erp) = Create((_, n, _) => n == 1 ? StubErpHandler.Reply(HttpStatusCode.TooManyRequests) : StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));

        await client.GetOrderAsync("o-1");

        Assert.Equal(2, erp.Requests.Count);
    }

    [Fact]
    public async Task GetOrder_ErpKeepsAnswering503_FailsUnavailableAfterTheAllowedRetry()
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.ServiceUnavailable));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));

        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
        Assert.Equal(503, e.Status);
        Assert.True(e.IsTransient);
        Assert.Equal(2, erp.Requests.Count);
    }

    [Fact]
    public async Task CreateOrder_WithoutIdempotencyKey_503IsNotRetried()
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.ServiceUnavailable));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.CreateOrderAsync(NewOrder, idempotencyKey: null));

        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
        var only = Assert.Single(erp.Requests);
        Assert.Null(only.Header("Idempotency-Key"));
    }

    [Fact]
    public async Task CreateOrder_WithoutIdempotencyKey_ConnectionErrorIsNotRetried()
    {
        var (client, erp) = Create((_, _, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "refused"));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.CreateOrderAsync(NewOrder, idempotencyKey: null));

        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
        Assert.Single(erp.Requests);
    }

    [Fact]
    public async Task CreateOrder_WithIdempotencyKey_TwoFailuresThenCreated_RetriesWithTheSameKey()
    {
        var (client, erp) = Create((_, n, _) => n < 3
            ? StubErpHandler.Reply(HttpStatusCode.BadGateway)
            : StubErpHandler.Reply(HttpStatusCode.Created, OrderJson));

        var order = await client.CreateOrderAsync(NewOrder, idempotencyKey: "call-42-basket-1");

        Assert.Equal("o-1", order.Id);
        Assert.Equal(3, erp.Requests.Count);
        Assert.All(erp.Requests, r => Assert.Equal("call-42-basket-1", r.Header("Idempotency-Key")));
        Assert.All(erp.Requests, r => Assert.Equal(erp.Requests[0].Body, r.Body));
    }

    [Fact]
    public async Task CommitTransaction_ConnectionDropsOnce_RetriedBecauseCommitIsIdempotent()
    {
        var (client, erp) = Create((_, n, _) => n == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "reset")
            : StubErpHandler.Reply(HttpStatusCode.OK, """{"transactionId":"tx-1","status":"committed","order":""" + OrderJson + "}"));

        var outcome = await client.CommitTransactionAsync("tx-1");

        Assert.Equal(TransactionStatuses.Committed, outcome.Status);
        Assert.Equal("ZS/2025/000001", outcome.Order?.Number);
        Assert.Equal(2, erp.Requests.Count);
        Assert.Contains("\"transactionId\":\"tx-1\"", erp.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrepareTransaction_ErpRefusesWithProblem_RejectedWithTheProblemAndNoRetry()
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.Conflict,
            """{"type":"urn:functionsivr:erp:insufficient-stock","title":"Not enough stock.","status":409,"detail":"0 available","productCode":"TYNK-GIPS-30","available":0}""",
            "application/problem+json"));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.PrepareTransactionAsync(
            new PrepareTransactionRequest { ContactId = "c-1", Lines = [new OrderLineRequest("TYNK-GIPS-30", 1)] }, "key-1"));

        Assert.Equal(ErpErrorKind.Rejected, e.Kind);
        Assert.False(e.IsTransient);
        Assert.Equal(ErpProblemTypes.InsufficientStock, e.Problem?.Type);
        Assert.Equal("TYNK-GIPS-30", e.Problem?.Extensions?["productCode"].GetString());
        Assert.Single(erp.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, ErpErrorKind.NotFound)]
    [InlineData(HttpStatusCode.Unauthorized, ErpErrorKind.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden, ErpErrorKind.Unauthorized)]
    [InlineData(HttpStatusCode.Gone, ErpErrorKind.Rejected)]
    public async Task GetOrder_ClientErrorStatus_MapsToKindWithoutRetry(HttpStatusCode status, ErpErrorKind kind)
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(status, """{"type":"about:blank","title":"x","status":1}""", "application/problem+json"));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));

        Assert.Equal(kind, e.Kind);
        Assert.Equal((int)status, e.Status);
        Assert.Single(erp.Requests);
    }

    [Fact]
    public async Task GetOrder_BodyIsNotTheContractsJson_FailsUnavailable()
    {
        var (client, _) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, "<html>login page</html>", "text/html"));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));

        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public async Task GetOrder_ErpLabelsItsUtf8Body_charset_utf8_ReadsTheOrder()
    {
        var (client, _) = Create((_, _, _) => Task.FromResult(WithCharset(HttpStatusCode.OK, OrderJson, "application/json; charset=utf8")));

        var order = await client.GetOrderAsync("o-1");

        Assert.Equal("ZS/2025/000001", order.Number);
    }

    [Theory]
    [InlineData("2025-01-15t10:00:00z")]
    [InlineData("2025-01-15T11:00:00.123456789+01:00")]
    public async Task GetOrder_InstantInAnyRfc3339Spelling_ReadsTheOrder(string createdAt)
    {
        // RFC 3339 (section 5.6) lets the T and Z be lower case; the contract says instants are RFC 3339.
        var body = OrderJson.Replace("2025-01-15T10:00:00+00:00", createdAt, StringComparison.Ordinal);
        var (client, _) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, body));

        var order = await client.GetOrderAsync("o-1");

        Assert.Equal(new DateTimeOffset(2025, 1, 15, 10, 0, 0, TimeSpan.Zero), order.CreatedAt.AddTicks(-(order.CreatedAt.Ticks % TimeSpan.TicksPerSecond)));
    }

    [Fact]
    public async Task GetOrder_InstantThatIsNoInstant_FailsUnavailable()
    {
        var (client, _) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson.Replace("2025-01-15T10:00:00+00:00", "tuesday", StringComparison.Ordinal)));

        Assert.Equal(ErpErrorKind.Unavailable, (await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"))).Kind);
    }

    [Fact]
    public async Task GetOrder_ProblemLabelled_charset_utf8_FailsAsErpExceptionWithTheProblem()
    {
        var (client, _) = Create((_, _, _) => Task.FromResult(WithCharset(HttpStatusCode.Conflict,
            """{"type":"urn:functionsivr:erp:order-not-changeable","title":"Not changeable.","status":409}""",
            "application/problem+json; charset=utf8")));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));

        Assert.Equal(ErpErrorKind.Rejected, e.Kind);
        Assert.Equal(ErpProblemTypes.OrderNotChangeable, e.Problem?.Type);
    }

    private static HttpResponseMessage WithCharset(HttpStatusCode status, string json, string contentType)
    {
        var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(json)) };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return response;
    }

    [Fact]
    public async Task GetOrder_ErpSlowerThanReadTimeout_FailsTimeoutWithoutRetry()
    {
        StubErpHandler? stub = null;
        var (client, erp) = Create((_, _, ct) => stub!.HangAsync(ct), o => o.ReadTimeoutMs = 200);
        stub = erp;

        var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));

        Assert.Equal(ErpErrorKind.Timeout, e.Kind);
        Assert.True(erp.SawCancellation);
        Assert.Single(erp.Requests);
    }

    [Fact]
    public async Task GetOrder_CallersDeadlineFiresFirst_FailsTimeoutAndTheRequestIsCancelled()
    {
        StubErpHandler? stub = null;
        var (client, erp) = Create((_, _, ct) => stub!.HangAsync(ct), o => o.ReadTimeoutMs = 60_000);
        stub = erp;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        var call = client.GetOrderAsync("o-1", deadline.Token);

        // Generous bound: the point is that the 60 s timeout is not what ends the call.
        var finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.Same(call, finished);
        var e = await Assert.ThrowsAsync<ErpException>(() => call);
        Assert.Equal(ErpErrorKind.Timeout, e.Kind);
        Assert.True(erp.SawCancellation);
    }

    [Fact]
    public async Task Calls_AfterRepeatedFailures_FailFastWithCircuitOpenWithoutReachingTheErp_ThenRecover()
    {
        var time = new ManualTimeProvider();
        var (client, erp) = WithCircuitOfThree(time);

        for (var i = 0; i < 3; i++)
        {
            var failed = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));
            Assert.Equal(ErpErrorKind.Unavailable, failed.Kind);
        }

        var open = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));
        Assert.Equal(ErpErrorKind.CircuitOpen, open.Kind);
        Assert.Equal(3, erp.Requests.Count);

        erp.Respond = (_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson);
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("o-1", (await client.GetOrderAsync("o-1")).Id);
        Assert.Equal("o-1", (await client.GetOrderAsync("o-1")).Id);
        Assert.Equal(5, erp.Requests.Count);
    }

    [Fact]
    public async Task Circuit_TrialAfterTheBreakCutByItsCallersDeadline_StaysOpenForTheNextCaller()
    {
        // The ERP is still down and the trial call's caller (a screen pop's 400 ms budget, say) gives up first: nothing
        // was learned, so the next caller is refused fast instead of being sent to a dead ERP.
        var time = new ManualTimeProvider();
        var (client, erp) = WithCircuitOfThree(time);
        for (var i = 0; i < 3; i++) await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));
        Assert.Equal(ErpErrorKind.CircuitOpen, (await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"))).Kind);

        time.Advance(TimeSpan.FromSeconds(11));
        erp.Respond = (_, _, ct) => erp.HangAsync(ct);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            Assert.Equal(ErpErrorKind.Timeout, (await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1", deadline.Token))).Kind);
        }

        erp.Respond = (_, _, _) => StubErpHandler.Reply(HttpStatusCode.InternalServerError);
        var sent = erp.Requests.Count;
        Assert.Equal(ErpErrorKind.CircuitOpen, (await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"))).Kind);
        Assert.Equal(sent, erp.Requests.Count);

        // After the next break a trial that the ERP answers closes it as before.
        erp.Respond = (_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson);
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal("o-1", (await client.GetOrderAsync("o-1")).Id);
        Assert.Equal("o-1", (await client.GetOrderAsync("o-1")).Id);
    }

    [Fact]
    public async Task Calls_ClientErrorsLike404_DoNotOpenTheCircuit()
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.NotFound), o =>
            o.CircuitBreaker = new ErpCircuitBreakerOptions { MinimumThroughput = 2 });

        for (var i = 0; i < 5; i++)
        {
            var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-" + i));
            Assert.Equal(ErpErrorKind.NotFound, e.Kind);
        }

        Assert.Equal(5, erp.Requests.Count);
    }

    [Fact]
    public async Task Requests_CarryTheApiKeyAndACachedBearerToken()
    {
        var credential = new CountingCredential();
        var options = Options(o => o.Scope = "api://erp/.default");
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));
        var client = new ErpClient(new HttpClient(erp), options, authentication: new ErpAuthentication(options, credential));

        await client.GetOrderAsync("o-1");
        await client.GetOrderAsync("o-2");

        Assert.All(erp.Requests, r => Assert.Equal("test-key", r.Header("X-Api-Key")));
        Assert.All(erp.Requests, r => Assert.Equal("Bearer token-1", r.Header("Authorization")));
        Assert.Equal(1, credential.Calls);
        Assert.Equal("api://erp/.default", credential.LastScope);
    }

    [Fact]
    public async Task Requests_TokenHandedOverWithFourMinutesLeft_KeptForHalfOfThemNotFetchedForEveryCall()
    {
        // Less than the five-minute refresh margin left (an upstream cache's token): without care every call would wait
        // for the identity endpoint.
        var time = new FunctionsIvr.Tests.Fakes.ManualTimeProvider();
        var credential = new CountingCredential(time, TimeSpan.FromMinutes(4));
        var options = Options(o => o.Scope = "api://erp/.default");
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));
        var client = new ErpClient(new HttpClient(erp), options, authentication: new ErpAuthentication(options, credential, time));

        for (var i = 0; i < 20; i++) await client.GetOrderAsync("o-" + i);
        time.Advance(TimeSpan.FromMinutes(2.5));
        await client.GetOrderAsync("o-later");

        Assert.Equal(2, credential.Calls);
        Assert.Equal("Bearer token-2", erp.Requests[^1].Header("Authorization"));
    }

    [Fact]
    public async Task Requests_TokenSlowerThanTheFirstCallersDeadline_FetchGoesOnAndTheNextCallUsesIt()
    {
        // A cold instance: the identity endpoint answers after the first callback's deadline. Cancelling the fetch with
        // that callback would start it over on every callback, each cut off again, and the ERP would stay out of reach.
        var credential = new SlowCredential();
        var options = Options(o => o.Scope = "api://erp/.default");
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));
        var client = new ErpClient(new HttpClient(erp), options, authentication: new ErpAuthentication(options, credential));

        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
        {
            await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1", deadline.Token));
        }

        credential.Answer("token-late");
        await client.GetOrderAsync("o-2");

        Assert.Equal(1, credential.Calls);
        Assert.Equal("Bearer token-late", Assert.Single(erp.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Token_IdentityEndpointNeverAnswers_FetchGivesUpAfterItsOwnLimitAsUnavailable()
    {
        var time = new FunctionsIvr.Tests.Fakes.ManualTimeProvider();
        var options = Options(o => o.Scope = "api://erp/.default");
        var authentication = new ErpAuthentication(options, new SlowCredential(), time);

        var waiting = authentication.GetBearerTokenAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromSeconds(31));

        var e = await Assert.ThrowsAsync<ErpException>(() => waiting);
        Assert.Equal(ErpErrorKind.Unavailable, e.Kind);
    }

    [Fact]
    public async Task Requests_NoTokenObtainable_FailUnauthorizedBeforeAnythingIsSent()
    {
        var options = Options(o => o.Scope = "api://erp/.default");
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));
        var client = new ErpClient(new HttpClient(erp), options, authentication: new ErpAuthentication(options, new FailingCredential()));

        var e = await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-1"));

        Assert.Equal(ErpErrorKind.Unauthorized, e.Kind);
        Assert.Empty(erp.Requests);
    }

    [Fact]
    public async Task FindContactByPhone_PlatformNumber_AsksForTheE164NumberEncoded()
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, """{"items":[],"page":1,"pageSize":50}"""));

        var contact = await client.FindContactByPhoneAsync("48600100200");

        Assert.Null(contact);
        Assert.Equal("http://erp.test/api/v1/contacts?phone=%2B48600100200", Assert.Single(erp.Requests).Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("anonymous")]
    public async Task FindContactByPhone_HiddenOrInvalidNumber_NullWithoutAskingTheErp(string? number)
    {
        var (client, erp) = Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, """{"items":[]}"""));

        Assert.Null(await client.FindContactByPhoneAsync(number));
        Assert.Empty(erp.Requests);
    }

    [Fact]
    public async Task Calls_InsideATrace_AreRecordedByRouteTemplateWithoutIds()
    {
        var (client, _) = Create((req, _, _) => req.RequestUri!.AbsolutePath.EndsWith("/o-404", StringComparison.Ordinal)
            ? StubErpHandler.Reply(HttpStatusCode.NotFound)
            : StubErpHandler.Reply(HttpStatusCode.OK, OrderJson));

        using var trace = ErpCallTrace.Begin();
        await client.GetOrderAsync("o-secret-1");
        await Assert.ThrowsAsync<ErpException>(() => client.GetOrderAsync("o-404"));

        Assert.Collection(trace.Calls,
            c => Assert.Equal(("GET", "/orders/{id}", (int?)200, 1), (c.Method, c.Route, c.Status, c.Attempts)),
            c => Assert.Equal(("/orders/{id}", (int?)404, (ErpErrorKind?)ErpErrorKind.NotFound), (c.Route, c.Status, c.Error)));
        Assert.DoesNotContain("secret", trace.Summary(), StringComparison.Ordinal);
        Assert.StartsWith("GET /orders/{id} 200 ", trace.Summary(), StringComparison.Ordinal);
    }

    internal static ErpClientOptions Options(Action<ErpClientOptions>? configure = null)
    {
        var options = new ErpClientOptions
        {
            BaseUrl = new Uri("http://erp.test/api/v1"),
            ApiKey = "test-key",
            RetryDelayMs = 1,
            ReadTimeoutMs = 5000,
            WriteTimeoutMs = 5000,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>An ERP answering 500, no retries, a circuit that opens after three failures for 10 s.</summary>
    private static (ErpClient Client, StubErpHandler Erp) WithCircuitOfThree(TimeProvider time) =>
        Create((_, _, _) => StubErpHandler.Reply(HttpStatusCode.InternalServerError), o =>
        {
            o.ReadRetries = 0;
            o.CircuitBreaker = new ErpCircuitBreakerOptions { FailureRatio = 0.5, MinimumThroughput = 3, SamplingDurationSeconds = 30, BreakDurationSeconds = 10 };
        }, time);

    private static (ErpClient Client, StubErpHandler Erp) Create(
        Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond,
        Action<ErpClientOptions>? configure = null,
        TimeProvider? time = null)
    {
        var erp = new StubErpHandler(respond);
        var options = Options(configure);
        return (new ErpClient(new HttpClient(erp), options, timeProvider: time), erp);
    }

    /// <param name="lifetime">How long each token handed out is valid (an hour unless given), on <paramref name="time"/>.</param>
    private sealed class CountingCredential(TimeProvider? time = null, TimeSpan? lifetime = null) : TokenCredential
    {
        public int Calls { get; private set; }
        public string? LastScope { get; private set; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Calls++;
            LastScope = requestContext.Scopes.Single();
            return new ValueTask<AccessToken>(new AccessToken("token-" + Calls, (time ?? TimeProvider.System).GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1))));
        }
    }

    /// <summary>Answers only when told to, and only if the fetch was not given up on.</summary>
    private sealed class SlowCredential : TokenCredential
    {
        private readonly TaskCompletionSource<string> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public void Answer(string token) => _answer.SetResult(token);

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var token = await _answer.Task.WaitAsync(cancellationToken);
            return new AccessToken(token, TimeProvider.System.GetUtcNow().AddHours(1));
        }
    }

    private sealed class FailingCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new Azure.Identity.CredentialUnavailableException("no identity here");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new Azure.Identity.CredentialUnavailableException("no identity here");
    }
}
