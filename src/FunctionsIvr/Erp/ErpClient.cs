using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FunctionsIvr.Erp;

/// <summary>
/// The typed client of the ERP middleware contract (<c>docs/erp-middleware.openapi.yaml</c>).
/// Every method takes the caller's deadline as <c>cancellationToken</c>, runs each attempt under
/// <see cref="ErpClientOptions.ReadTimeoutMs"/> / <see cref="ErpClientOptions.WriteTimeoutMs"/> and one shared circuit
/// breaker, retries only what is safe to repeat, and fails only with <see cref="ErpException"/>.
/// Methods are virtual (and there is a protected constructor) so a flow test may substitute the client.
/// </summary>
public partial class ErpClient
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Contract types from generated metadata (no reflection at the first call of a cold instance); anything else as before.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(ErpJsonContext.Default, new DefaultJsonTypeInfoResolver()),
        Converters = { new Rfc3339DateTimeOffsetConverter() },
    };

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http = null!;
    private readonly ErpClientOptions _options = null!;
    private readonly ErpResilience _resilience = null!;
    private readonly ErpAuthentication _authentication = null!;
    private readonly TimeProvider _timeProvider = TimeProvider.System;
    private readonly ILogger _logger = NullLogger.Instance;
    private readonly ErpReadCache? _cache;
    private readonly CancellationToken _appStopping;

    /// <summary>For substitutes in tests only.</summary>
    protected ErpClient()
    {
    }

    /// <param name="appStopping">
    /// The app's stopping token: a call the caller cancels while it is set was cut off by a shutdown, which is logged as
    /// such (Information), not as a failing ERP (Warning).
    /// </param>
    public ErpClient(
        HttpClient httpClient,
        ErpClientOptions options,
        ErpResilience? resilience = null,
        ErpAuthentication? authentication = null,
        TimeProvider? timeProvider = null,
        ILogger<ErpClient>? logger = null,
        ErpReadCache? cache = null,
        CancellationToken appStopping = default)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _resilience = resilience ?? new ErpResilience(options, _timeProvider);
        _authentication = authentication ?? new ErpAuthentication(options, timeProvider: _timeProvider);
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _cache = cache;
        _appStopping = appStopping;
        if (_http.BaseAddress is null)
        {
            var baseUrl = options.BaseUrl ?? throw new ArgumentException("Erp:BaseUrl is not set.", nameof(options));
            _http.BaseAddress = WithTrailingSlash(baseUrl);
        }
    }

    // ---- contacts ----

    /// <summary>
    /// The contact calling from <paramref name="phone"/> (any common format, e.g. the platform's <c>48600100200</c>),
    /// or null when the ERP knows no one with that number, several contacts share it (Warning 3012), or the number is
    /// hidden/invalid (then the ERP is not asked).
    /// </summary>
    public virtual async Task<Contact?> FindContactByPhoneAsync(string? phone, CancellationToken cancellationToken = default)
    {
        var normalized = PhoneNumbers.Normalize(phone);
        if (normalized is null) return null;

        var key = "contact:" + normalized;
        if (_cache is not null && _cache.TryGet<Contact>(key, out var known)) return known;

        var page = await SendAsync<ErpPage<Contact>>(
            ErpRequest.Read("/contacts", "contacts?phone=" + Uri.EscapeDataString(normalized)), cancellationToken);
        var contacts = Once(page.Items, c => c.Id, "contacts");
        var contact = contacts.Count == 1 ? contacts[0] : null;
        if (contacts.Count > 1)
        {
            // A number several contacts call from (a switchboard, a shared mobile) tells us the company at best, not
            // who is calling: taking the first would read one buyer's orders to another. Served as a guest instead.
            Log.SharedNumber(_logger, Redact.Phone(normalized), contacts.Count);
        }

        Log.ContactLookup(_logger, Redact.Phone(normalized), contact is null ? (contacts.Count > 1 ? "shared" : "unknown") : "contact " + Redact.Id(contact.Id));
        _cache?.Set(key, contact, TimeSpan.FromSeconds(_options.ContactCacheSeconds));
        return contact;
    }

    /// <exception cref="ErpException"><see cref="ErpErrorKind.NotFound"/> for an unknown id.</exception>
    public virtual Task<Contact> GetContactAsync(string contactId, CancellationToken cancellationToken = default) =>
        SendAsync<Contact>(ErpRequest.Read("/contacts/{id}", "contacts/" + Segment(contactId)), cancellationToken);

    public virtual Task<ErpPage<Contact>> ListContactsAsync(int page = 1, int pageSize = 50, CancellationToken cancellationToken = default) =>
        SendAsync<ErpPage<Contact>>(
            ErpRequest.Read("/contacts", Query("contacts", ("page", Num(page)), ("pageSize", Num(pageSize)))), cancellationToken);

    // ---- products ----

    /// <summary>Products whose code or name matches <paramref name="search"/>, best match first.</summary>
    public virtual async Task<IReadOnlyList<Product>> SearchProductsAsync(string search, int limit = 10, CancellationToken cancellationToken = default)
    {
        var key = "products:" + Num(limit) + ":" + search;
        if (_cache is not null && _cache.TryGet<IReadOnlyList<Product>>(key, out var kept) && kept is not null) return kept;

        var page = await SendAsync<ErpPage<Product>>(
            ErpRequest.Read("/products", Query("products", ("search", search), ("pageSize", Num(limit)))), cancellationToken);
        var products = Once(page.Items, p => p.Code, "products");
        _cache?.Set(key, products, TimeSpan.FromSeconds(_options.ProductCacheSeconds));
        return products;
    }

    // ---- orders ----

    /// <param name="statuses">Only orders in these <see cref="OrderStatuses"/> (e.g. <see cref="OrderStatuses.Active"/>); all when null.</param>
    public virtual async Task<IReadOnlyList<Order>> GetOrdersAsync(
        string contactId, IReadOnlyCollection<string>? statuses = null, int limit = 20, CancellationToken cancellationToken = default)
    {
        var status = statuses is { Count: > 0 } ? string.Join(',', statuses) : null;
        var page = await SendAsync<ErpPage<Order>>(
            ErpRequest.Read("/orders", Query("orders", ("contactId", contactId), ("status", status), ("pageSize", Num(limit)))),
            cancellationToken);
        return Once(page.Items, o => o.Id, "orders");
    }

    /// <exception cref="ErpException"><see cref="ErpErrorKind.NotFound"/> for an unknown id.</exception>
    public virtual Task<Order> GetOrderAsync(string orderId, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(ErpRequest.Read("/orders/{id}", "orders/" + Segment(orderId)), cancellationToken);

    /// <summary>Creates an order in one step (no reservation phase).</summary>
    /// <param name="idempotencyKey">
    /// Sent as <c>Idempotency-Key</c>; with it a lost answer is retried and the ERP returns the same order.
    /// Without it the call is never retried (a second try could create a second order).
    /// </param>
    public virtual Task<Order> CreateOrderAsync(CreateOrderRequest order, string? idempotencyKey, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(ErpRequest.Write(HttpMethod.Post, "/orders", "orders", order, idempotencyKey), cancellationToken);

    /// <summary>Replaces the lines and/or sets the status. Retried only with an <paramref name="idempotencyKey"/>.</summary>
    public virtual Task<Order> UpdateOrderAsync(
        string orderId, UpdateOrderRequest update, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(
            ErpRequest.Write(HttpMethod.Patch, "/orders/{id}", "orders/" + Segment(orderId), update, idempotencyKey), cancellationToken);

    /// <summary>Cancels the order; cancelling a cancelled order succeeds (the contract makes it idempotent, so it is retried).</summary>
    public virtual Task<Order> CancelOrderAsync(string orderId, CancellationToken cancellationToken = default) =>
        SendAsync<Order>(
            ErpRequest.Write(HttpMethod.Patch, "/orders/{id}", "orders/" + Segment(orderId),
                new UpdateOrderRequest { Status = OrderStatuses.Cancelled }, idempotencyKey: null, idempotent: true),
            cancellationToken);

    // ---- two-phase commit ----

    /// <summary>Phase one: validates, prices and reserves stock; nothing is ordered until commit.</summary>
    /// <param name="idempotencyKey">
    /// Sent as <c>Idempotency-Key</c> (use one per call and basket, e.g. the call id plus a counter): a repeated
    /// callback or a retried attempt gets the same transaction instead of a second reservation. Without it, no retry.
    /// </param>
    public virtual async Task<PreparedTransaction> PrepareTransactionAsync(
        PrepareTransactionRequest request, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        var prepared = await SendAsync<PreparedTransaction>(
            ErpRequest.Write(HttpMethod.Post, "/transactions", "transactions", request, idempotencyKey), cancellationToken,
            (answer, response) => answer with { ErpClockAhead = response.Headers.Date - _timeProvider.GetUtcNow() });
        Log.TransactionChanged(_logger, Redact.Id(prepared.TransactionId), prepared.Status, Redact.Id(prepared.OrderNumber));
        return prepared;
    }

    /// <summary>Phase two: turns the reservation into an order. Idempotent on the transaction id, so it is retried.</summary>
    /// <exception cref="ErpException"><see cref="ErpErrorKind.Rejected"/> (409/410) when the transaction expired or was aborted.</exception>
    public virtual async Task<TransactionOutcome> CommitTransactionAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        var outcome = await SendAsync<TransactionOutcome>(
            ErpRequest.Write(HttpMethod.Post, "/transactions/commit", "transactions/commit", new TransactionReference(transactionId),
                idempotencyKey: null, idempotent: true),
            cancellationToken);
        Log.TransactionChanged(_logger, Redact.Id(transactionId), outcome.Status, Redact.Id(outcome.Order?.Number));
        return outcome;
    }

    /// <summary>Releases the reservation. Idempotent; aborting an expired transaction succeeds.</summary>
    public virtual async Task<TransactionOutcome> AbortTransactionAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        var outcome = await SendAsync<TransactionOutcome>(
            ErpRequest.Write(HttpMethod.Post, "/transactions/abort", "transactions/abort", new TransactionReference(transactionId),
                idempotencyKey: null, idempotent: true),
            cancellationToken);
        Log.TransactionChanged(_logger, Redact.Id(transactionId), outcome.Status, "");
        return outcome;
    }

    // ---- what to offer the caller ----

    public virtual async Task<IReadOnlyList<TopProduct>> GetTopProductsAsync(string contactId, int limit = 5, CancellationToken cancellationToken = default) =>
        Once((await SendAsync<ErpList<TopProduct>>(
            ErpRequest.Read("/contacts/{id}/top-products", Query("contacts/" + Segment(contactId) + "/top-products", ("limit", Num(limit)))),
            cancellationToken)).Items, p => p, "top-products");

    public virtual async Task<IReadOnlyList<Recommendation>> GetRecommendationsAsync(string contactId, int limit = 5, CancellationToken cancellationToken = default) =>
        Once((await SendAsync<ErpList<Recommendation>>(
            ErpRequest.Read("/contacts/{id}/recommendations", Query("contacts/" + Segment(contactId) + "/recommendations", ("limit", Num(limit)))),
            cancellationToken)).Items, r => r, "recommendations");

    /// <summary>Promotions valid today that apply to the contact (their segment, their products).</summary>
    public virtual async Task<IReadOnlyList<Promotion>> GetPromotionsAsync(string contactId, CancellationToken cancellationToken = default) =>
        Once((await SendAsync<ErpList<Promotion>>(
            ErpRequest.Read("/promotions", Query("promotions", ("contactId", contactId))), cancellationToken)).Items, p => p, "promotions");

    public virtual async Task<IReadOnlyList<Complaint>> GetOpenComplaintsAsync(string contactId, CancellationToken cancellationToken = default) =>
        Once((await SendAsync<ErpList<Complaint>>(
            ErpRequest.Read("/complaints", Query("complaints", ("contactId", contactId), ("status", ComplaintStatuses.Open))),
            cancellationToken)).Items, c => c.Id, "complaints");

    // ---- call records ----

    /// <summary>
    /// Opens the ERP's record of this call. Numbers are normalised to E.164. Sent with <c>Idempotency-Key: call-{CallId}</c>,
    /// so a repeated callback or a retry finds the same record.
    /// </summary>
    public virtual Task<CallRecord> CreateCallRecordAsync(CreateCallRecordRequest record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var body = record with
        {
            FromNumber = PhoneNumbers.Normalize(record.FromNumber) ?? record.FromNumber,
            DialledNumber = PhoneNumbers.Normalize(record.DialledNumber) ?? record.DialledNumber,
        };
        return SendAsync<CallRecord>(
            ErpRequest.Write(HttpMethod.Post, "/calls", "calls", body, "call-" + record.CallId), cancellationToken);
    }

    /// <summary>Sets the given fields of the call record (a PATCH of values, so repeating it is harmless and it is retried).</summary>
    public virtual Task<CallRecord> UpdateCallRecordAsync(string callRecordId, UpdateCallRecordRequest update, CancellationToken cancellationToken = default) =>
        SendAsync<CallRecord>(
            ErpRequest.Write(HttpMethod.Patch, "/calls/{id}", "calls/" + Segment(callRecordId), update, idempotencyKey: null, idempotent: true),
            cancellationToken);

    // ---- the one way out ----

    /// <param name="fromHeaders">Adds to the answer what its headers say (called only for a success).</param>
    private async Task<T> SendAsync<T>(ErpRequest request, CancellationToken cancellationToken, Func<T, HttpResponseMessage, T>? fromHeaders = null)
        where T : class
    {
        var policy = new ErpCallPolicy(
            request.Method.Method,
            request.Route,
            TimeSpan.FromMilliseconds(request.IsRead ? _options.ReadTimeoutMs : _options.WriteTimeoutMs),
            request.IsRead ? _options.ReadRetries : request.SafeToRepeat ? _options.WriteRetries : 0);
        var attempt = new Attempt(this, request);
        var started = _timeProvider.GetTimestamp();
        int? status = null;
        ErpErrorKind? failure = null;
        var cutOffByShutdown = false;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ErpResilience.PolicyKey, policy);
        try
        {
            attempt.BearerToken = await _authentication.GetBearerTokenAsync(cancellationToken);
            using var response = await _resilience.Pipeline.ExecuteAsync(
                static (ctx, a) => a.SendAsync(ctx.CancellationToken), context, attempt);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(request, response);
            }

            var value = await ReadAsync<T>(request, response);
            return fromHeaders is null ? value : fromHeaders(value, response);
        }
        catch (ErpException e)
        {
            failure = e.Kind;
            throw;
        }
        catch (BrokenCircuitException e)
        {
            failure = ErpErrorKind.CircuitOpen;
            throw new ErpException(ErpErrorKind.CircuitOpen, $"ERP {request.Method} {request.Route} not sent: the circuit is open after repeated failures.", innerException: e);
        }
        catch (TimeoutRejectedException e)
        {
            failure = ErpErrorKind.Timeout;
            throw new ErpException(ErpErrorKind.Timeout, $"ERP {request.Method} {request.Route} did not answer within {policy.AttemptTimeout.TotalMilliseconds:0} ms.", innerException: e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested && _appStopping.IsCancellationRequested)
        {
            // Expected when the app stops with work in flight: whoever gave the token reports what happens to the work.
            failure = ErpErrorKind.Timeout;
            cutOffByShutdown = true;
            throw new ErpException(ErpErrorKind.Timeout, $"ERP {request.Method} {request.Route} cut off: the app is shutting down.", innerException: e);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            failure = ErpErrorKind.Timeout;
            throw new ErpException(ErpErrorKind.Timeout, $"ERP {request.Method} {request.Route} cut off by the caller's deadline.", innerException: e);
        }
        catch (OperationCanceledException e)
        {
            // Not ours and not the caller's: HttpClient.Timeout of a client built by hand.
            failure = ErpErrorKind.Timeout;
            throw new ErpException(ErpErrorKind.Timeout, $"ERP {request.Method} {request.Route} was cancelled before it answered.", innerException: e);
        }
        catch (HttpRequestException e)
        {
            failure = ErpErrorKind.Unavailable;
            throw new ErpException(ErpErrorKind.Unavailable, $"ERP {request.Method} {request.Route} unreachable: {e.HttpRequestError}.", innerException: e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            var elapsedMs = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
            ErpCallTrace.Record(new ErpCallRecord(request.Method.Method, request.Route, status, elapsedMs, attempt.Count, failure));
            if (cutOffByShutdown) Log.CallCutOffByShutdown(_logger, request.Method.Method, request.Route, elapsedMs, attempt.Count);
            else if (failure is { } kind) Log.CallFailed(_logger, request.Method.Method, request.Route, kind, status, elapsedMs, attempt.Count);
            else Log.CallSucceeded(_logger, request.Method.Method, request.Route, status ?? 0, elapsedMs, attempt.Count);
        }
    }

    private static async Task<T> ReadAsync<T>(ErpRequest request, HttpResponseMessage response)
        where T : class
    {
        try
        {
            // The body is already buffered (ResponseContentRead), so this does not wait on the network.
            var value = await ReadJsonAsync<T>(response);
            return value ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new ErpException(ErpErrorKind.Unavailable,
                $"ERP {request.Method} {request.Route} answered {(int)response.StatusCode} with a body that does not match the contract.",
                (int)response.StatusCode, innerException: e);
        }
    }

    private static async Task<ErpException> FailureAsync(ErpRequest request, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var problem = await ReadProblemAsync(response);
        var kind = response.StatusCode switch
        {
            HttpStatusCode.NotFound => ErpErrorKind.NotFound,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ErpErrorKind.Unauthorized,
            _ when ErpResilience.IsTransient(response.StatusCode) => ErpErrorKind.Unavailable,
            // Not followed (ErpClientRegistration): nothing was done, and the middleware's address needs fixing.
            _ when status is >= 300 and < 400 => ErpErrorKind.Unavailable,
            _ => ErpErrorKind.Rejected,
        };
        var title = problem?.Title ?? response.ReasonPhrase ?? "";
        return new ErpException(kind, $"ERP {request.Method} {request.Route} answered {status} {title}".TrimEnd() + ".", status, problem);
    }

    private static async Task<ErpProblem?> ReadProblemAsync(HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return await ReadJsonAsync<ErpProblem>(response);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The contract's bodies are UTF-8, so they are read as such whatever charset the header names: ReadFromJsonAsync
    /// throws InvalidOperationException for a label it does not know (<c>charset=utf8</c> is common), which would escape
    /// as a crash instead of an <see cref="ErpException"/>. A body in another encoding fails as JSON.
    /// </summary>
    private static async Task<T?> ReadJsonAsync<T>(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        return await JsonSerializer.DeserializeAsync<T>(body, Json);
    }

    private HttpRequestMessage CreateMessage(ErpRequest request, string? bearerToken)
    {
        var message = new HttpRequestMessage(request.Method, new Uri(request.Path, UriKind.Relative));
        message.Options.Set(Hosting.CallTelemetry.RouteOption, request.Route);
        message.Headers.Accept.ParseAdd("application/json");
        message.Headers.Accept.ParseAdd("application/problem+json");
        if (request.IdempotencyKey is not null) message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body) { Headers = { ContentType = JsonMediaType } };
        }

        _authentication.Apply(message, bearerToken);
        return message;
    }

    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    /// <exception cref="ErpException"><see cref="ErpErrorKind.NotFound"/> for <c>.</c> or <c>..</c>.</exception>
    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        // Dot segments are not escaped and the URL would leave its collection: orders/.. is the API root.
        if (value is "." or "..") throw new ErpException(ErpErrorKind.NotFound, $"'{value}' cannot be an ERP id.");
        return Uri.EscapeDataString(value);
    }

    /// <summary>
    /// Each entry once, in the ERP's order: a list naming one entry twice (overlapping pages, a join in the middleware)
    /// would be read out twice, and "press 2" would no longer mean the second thing the caller heard. Orders, complaints
    /// and products are the same entry by their id; top products, recommendations and promotions only when equal in
    /// every field (one promotion id may cover two products, one product may be bought in two units).
    /// </summary>
    private IReadOnlyList<T> Once<T, TKey>(IReadOnlyList<T> items, Func<T, TKey> id, string list)
        where TKey : notnull
    {
        if (items.Count < 2) return items;
        var seen = new HashSet<TKey>(items.Count);
        List<T>? kept = null;
        for (var i = 0; i < items.Count; i++)
        {
            if (seen.Add(id(items[i]))) kept?.Add(items[i]);
            else kept ??= [.. items.Take(i)];
        }

        if (kept is null) return items;
        Log.RepeatedEntriesDropped(_logger, list, items.Count - kept.Count);
        return kept;
    }

    private static string Num(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (name, value) in parameters)
        {
            if (value is null) continue;
            builder.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    /// <summary>One call's attempts: builds a fresh message for each (a sent HttpRequestMessage cannot be re-sent).</summary>
    private sealed class Attempt(ErpClient client, ErpRequest request)
    {
        public int Count { get; private set; }

        public string? BearerToken { get; set; }

        public async ValueTask<HttpResponseMessage> SendAsync(CancellationToken cancellationToken)
        {
            Count++;
            using var message = client.CreateMessage(request, BearerToken);
            return await client._http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
    }

    private sealed record ErpRequest(HttpMethod Method, string Route, string Path, byte[]? Body, string? IdempotencyKey, bool SafeToRepeat)
    {
        public bool IsRead => Method == HttpMethod.Get;

        public static ErpRequest Read(string route, string path) => new(HttpMethod.Get, route, path, null, null, true);

        public static ErpRequest Write<TBody>(HttpMethod method, string route, string path, TBody body, string? idempotencyKey, bool idempotent = false) =>
            new(method, route, path, JsonSerializer.SerializeToUtf8Bytes(body, Json), idempotencyKey,
                idempotent || !string.IsNullOrEmpty(idempotencyKey));
    }

    private sealed record TransactionReference(string TransactionId);

    /// <summary>Builds the serialization metadata of the bodies a call's first ERP requests exchange (cold start).</summary>
    internal static void WarmUpSerialization()
    {
        Json.GetTypeInfo(typeof(ErpPage<Contact>));
        Json.GetTypeInfo(typeof(ErpPage<Product>));
        Json.GetTypeInfo(typeof(CreateCallRecordRequest));
        Json.GetTypeInfo(typeof(CallRecord));
    }

    private sealed record ErpList<T>
    {
        public IReadOnlyList<T> Items { get; init; } = [];
    }

    /// <summary>
    /// Serialization metadata of the bodies the contract exchanges, generated at build time. Not the problem document:
    /// its extension members are read by reflection (the generated form cannot bind them alongside init-only members).
    /// </summary>
    [JsonSerializable(typeof(ErpPage<Contact>))]
    [JsonSerializable(typeof(ErpPage<Order>))]
    [JsonSerializable(typeof(ErpPage<Product>))]
    [JsonSerializable(typeof(Contact))]
    [JsonSerializable(typeof(Order))]
    [JsonSerializable(typeof(CallRecord))]
    [JsonSerializable(typeof(PreparedTransaction))]
    [JsonSerializable(typeof(TransactionOutcome))]
    [JsonSerializable(typeof(ErpList<Complaint>))]
    [JsonSerializable(typeof(ErpList<Promotion>))]
    [JsonSerializable(typeof(ErpList<Recommendation>))]
    [JsonSerializable(typeof(ErpList<TopProduct>))]
    [JsonSerializable(typeof(CreateOrderRequest))]
    [JsonSerializable(typeof(UpdateOrderRequest))]
    [JsonSerializable(typeof(PrepareTransactionRequest))]
    [JsonSerializable(typeof(TransactionReference))]
    [JsonSerializable(typeof(CreateCallRecordRequest))]
    [JsonSerializable(typeof(UpdateCallRecordRequest))]
    private sealed partial class ErpJsonContext : JsonSerializerContext;
}
