using FunctionsIvr.Tests.Fakes;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core.Pipeline;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Testing;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>What goes on the wire, checked against a recording handler where Azurite cannot show it (https, bearer, retries).</summary>
public sealed class TableClientTransportTests
{
    private static readonly Uri CloudEndpoint = new("https://acct.table.core.windows.net/");
    private static readonly string AccountKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("not-a-real-key-but-base64-of-one"));

    [Fact]
    public async Task Query_EmptyPageCarryingContinuation_KeepsPagingWithTheOriginalQuery()
    {
        var handler = new RecordingHandler(request => request.Uri.Query.Contains("NextPartitionKey", StringComparison.Ordinal)
            ? RecordingHandler.Json(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p","RowKey":"r1"},{"PartitionKey":"p","RowKey":"r2"}]}""")
            : RecordingHandler.Json(HttpStatusCode.OK, """{"value":[]}""",
                ("x-ms-continuation-NextPartitionKey", "1!4!cA--"), ("x-ms-continuation-NextRowKey", "1!4!cjE-")));
        var table = SharedKeyClient(handler, new TableClientOptions());

        var rows = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p"}"), maxPerPage: 5, select: ["RowKey"]).ToListAsync();

        Assert.Equal(["r1", "r2"], rows.Select(r => r.RowKey));
        var second = handler.Requests[1].Uri.Query;
        Assert.Contains("$filter=PartitionKey%20eq%20%27p%27", second, StringComparison.Ordinal);
        Assert.Contains("$top=5", second, StringComparison.Ordinal);
        Assert.Contains("$select=RowKey", second, StringComparison.Ordinal);
        Assert.Contains("NextPartitionKey=1%214%21cA--", second, StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1%214%21cjE-", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedKeyLite_RetriedAttempt_IsSignedAgainWithAFreshDate()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));
        var handler = new RecordingHandler(request =>
        {
            if (request.Headers["x-ms-date"] != "Tue, 04 Mar 2025 05:06:07 GMT")
            {
                return RecordingHandler.Json(HttpStatusCode.OK, """{"PartitionKey":"it's","RowKey":"r"}""");
            }

            clock.Advance(TimeSpan.FromMinutes(1));
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        });
        var options = FastRetry();
        options.TimeProvider = clock;
        var table = SharedKeyClient(handler, options);

        var entity = await table.GetEntityAsync<TableEntity>("it's", "r");

        Assert.Equal("it's", entity.Value.PartitionKey);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(["Tue, 04 Mar 2025 05:06:07 GMT", "Tue, 04 Mar 2025 05:07:07 GMT"], handler.Requests.Select(r => r.Headers["x-ms-date"]));
        foreach (var request in handler.Requests)
        {
            Assert.Equal("/calls(PartitionKey='it%27%27s',RowKey='r')", request.Uri.AbsolutePath);
            Assert.Equal(ExpectedSharedKeyLite("acct", request.Headers["x-ms-date"], "/acct" + request.Uri.AbsolutePath), request.Headers["Authorization"]);
        }
    }

    [Fact]
    public async Task EveryRequest_CarriesTheTableProtocolHeaders()
    {
        var handler = new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.NoContent) { Headers = { { "ETag", "W/\"datetime'2025-01-01T00%3A00%3A00Z'\"" } } });
        var table = SharedKeyClient(handler, new TableClientOptions());

        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1L }, TableUpdateMode.Replace);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("2020-12-06", request.Headers["x-ms-version"]);
        Assert.Equal("3.0", request.Headers["DataServiceVersion"]);
        Assert.Equal("application/json;odata=minimalmetadata", request.Headers["Accept"]);
        Assert.False(request.Headers.ContainsKey("If-Match"));
        Assert.Equal("""{"PartitionKey":"p","RowKey":"r","A@odata.type":"Edm.Int64","A":"1"}""", request.Body);
    }

    [Fact]
    public async Task TokenCredential_SendsBearerTokenForTheStorageScope()
    {
        var handler = new RecordingHandler(_ => RecordingHandler.Json(HttpStatusCode.OK, """{"PartitionKey":"p","RowKey":"r"}"""));
        var credential = new RecordingTokenCredential("storage-token");
        var options = new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        var table = new TableClient(CloudEndpoint, "calls", credential, options);

        await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal("Bearer storage-token", Assert.Single(handler.Requests).Headers["Authorization"]);
        Assert.Equal(["https://storage.azure.com/.default"], Assert.Single(credential.RequestedScopes));
        Assert.Equal("acct", table.AccountName);
    }

    [Fact]
    public async Task TokenCredential_OverPlainHttp_IsRefusedByAzureCore()
    {
        var handler = new RecordingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var options = new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        var table = new TableClient(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "calls", new RecordingTokenCredential("t"), options);

        await Assert.ThrowsAsync<InvalidOperationException>(() => table.GetEntityIfExistsAsync<TableEntity>("p", "r"));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task SharedAccessSignature_RetriedAttempt_CarriesTheTokenOnce()
    {
        var attempts = 0;
        var handler = new RecordingHandler(_ => ++attempts == 1
            ? new HttpResponseMessage(HttpStatusCode.InternalServerError)
            : RecordingHandler.Json(HttpStatusCode.OK, """{"PartitionKey":"p","RowKey":"r"}"""));
        var options = FastRetry();
        options.Transport = new HttpClientTransport(new HttpClient(handler));
        var table = new TableClient(
            $"TableEndpoint={CloudEndpoint};SharedAccessSignature=sv=2019-07-07&tn=calls&sp=raud&se=2030-01-01T00%3A00%3A00Z&sig=abc%2Bdef%3D", "calls", options);

        await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("?sv=2019-07-07&tn=calls&sp=raud&se=2030-01-01T00%3A00%3A00Z&sig=abc%2Bdef%3D", r.Uri.Query));
        Assert.All(handler.Requests, r => Assert.False(r.Headers.ContainsKey("Authorization")));
    }

    [Fact]
    public async Task ErrorBody_OdataError_BecomesStatusAndErrorCode()
    {
        var handler = new RecordingHandler(_ => RecordingHandler.Json(HttpStatusCode.BadRequest,
            """{"odata.error":{"code":"PropertyValueTooLarge","message":{"lang":"en-US","value":"The property value exceeds the maximum allowed size (64KB)."}}}"""));
        var table = SharedKeyClient(handler, new TableClientOptions());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(400, error.Status);
        Assert.Equal("PropertyValueTooLarge", error.ErrorCode);
        Assert.Contains("exceeds the maximum allowed size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CanonicalizedResource_EmulatorPath_NamesTheAccountTwice()
    {
        var uri = new Azure.Core.RequestUriBuilder();
        uri.Reset(new Uri("http://127.0.0.1:10002/devstoreaccount1"));
        uri.AppendPath("/t(PartitionKey='a',RowKey='b')", escape: false);
        uri.AppendQuery("$filter", "x", escapeValue: true);

        Assert.Equal("/devstoreaccount1/devstoreaccount1/t(PartitionKey='a',RowKey='b')", TableSharedKeyLitePolicy.CanonicalizedResource("devstoreaccount1", uri));
    }

    private static TableClient SharedKeyClient(RecordingHandler handler, TableClientOptions options)
    {
        options.Transport = new HttpClientTransport(new HttpClient(handler));
        return new TableClient(CloudEndpoint, "calls", new TableSharedKeyCredential("acct", AccountKey), options);
    }

    private static TableClientOptions FastRetry()
    {
        var options = new TableClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return options;
    }

    /// <summary>SharedKeyLite for Table, written from the service documentation rather than from the client's code.</summary>
    private static string ExpectedSharedKeyLite(string account, string date, string canonicalizedResource)
    {
        using var hmac = new HMACSHA256(Convert.FromBase64String(AccountKey));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(date + "\n" + canonicalizedResource)));
        return string.Create(CultureInfo.InvariantCulture, $"SharedKeyLite {account}:{signature}");
    }
}
