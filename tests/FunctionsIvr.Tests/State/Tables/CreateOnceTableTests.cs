using FunctionsIvr.Tests.Fakes;
using System.Net;
using Azure;
using Azure.Core.Pipeline;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

public sealed class CreateOnceTableTests
{
    [Fact]
    public async Task Store_ManyFirstCallsAtOnce_CreateTheTableOnce()
    {
        var handler = new RecordingHandler(request => request.Method == "POST"
            ? new HttpResponseMessage(HttpStatusCode.NoContent)
            : RecordingHandler.Json(HttpStatusCode.NotFound, """{"odata.error":{"code":"ResourceNotFound","message":{"value":"none"}}}"""));
        var store = CreateStore(handler);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.GetAsync($"call-{i}")));
        await store.GetAsync("call-later");

        Assert.Single(handler.Requests, r => r.Method == "POST" && r.Uri.AbsolutePath == "/Tables");
        Assert.Equal(9, handler.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task Store_TableCreationFailed_TriesAgainOnTheNextCall()
    {
        var creations = 0;
        var handler = new RecordingHandler(request => request.Method == "POST"
            ? ++creations == 1
                ? RecordingHandler.Json(HttpStatusCode.Forbidden, """{"odata.error":{"code":"AuthorizationPermissionMismatch","message":{"value":"no"}}}""")
                : new HttpResponseMessage(HttpStatusCode.Conflict)
                {
                    Content = new StringContent("""{"odata.error":{"code":"TableAlreadyExists","message":{"value":"exists"}}}"""),
                }
            : RecordingHandler.Json(HttpStatusCode.NotFound, """{"odata.error":{"code":"ResourceNotFound","message":{"value":"none"}}}"""));
        var store = CreateStore(handler);

        var first = await Assert.ThrowsAsync<RequestFailedException>(() => store.GetAsync("call-1"));
        var second = await store.GetAsync("call-1");

        Assert.Equal(403, first.Status);
        Assert.Null(second);
        Assert.Equal(2, creations);
    }

    [Fact]
    public async Task Store_TableStillBeingDeleted_FailsAsUnavailableNotAsAConflictOfTheWrite()
    {
        var handler = new RecordingHandler(request => request.Method == "POST"
            ? new HttpResponseMessage(HttpStatusCode.Conflict)
            {
                Content = new StringContent("""{"odata.error":{"code":"TableBeingDeleted","message":{"value":"being deleted"}}}"""),
            }
            : new HttpResponseMessage(HttpStatusCode.NoContent));
        var store = CreateStore(handler);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.SaveAsync(new CallState("call-1")));

        // 409 means "someone created this call's state first" to the callers; this is the storage not being ready.
        Assert.Equal(503, error.Status);
        Assert.Equal("TableBeingDeleted", error.ErrorCode);
    }

    private static ICallStateStore CreateStore(RecordingHandler handler)
    {
        var options = new TableClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        var service = new TableServiceClient(
            new Uri("https://acct.table.core.windows.net"),
            new TableSharedKeyCredential("acct", TableConnectionString.DevelopmentAccountKey),
            options);
        return new TableCallStateStore(service, TimeProvider.System, NullLogger<TableCallStateStore>.Instance);
    }
}
