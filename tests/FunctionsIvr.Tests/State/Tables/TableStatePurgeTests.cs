using System.Net;
using Azure.Core.Pipeline;
using FunctionsIvr.Agents;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableStatePurgeTests(AzuriteFixture azurite) : StatePurgeContract, IAsyncLifetime
{
    // Pages smaller than one call's 120 log lines, so the purge follows continuations and a partition spans pages.
    private const int PageSize = 150;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    protected override string TableName(string table) => table + _suffix;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var service = azurite.CreateServiceClient();
        foreach (var table in new[] { "callstate", "calllog", "outbox", "agentcards" }) await service.DeleteTableAsync(TableName(table));
    }

    protected override Task<Stores> CreateAsync() => Task.FromResult(CreateStores(azurite.CreateServiceClient()));

    private Stores CreateStores(TableServiceClient service) => new(
        new TableCallStateStore(service, Time, NullLogger<TableCallStateStore>.Instance, TableName("callstate")),
        new TableCallLog(service, NullLogger<TableCallLog>.Instance, TableName("calllog")),
        new TableOutboxStore(service, NullLogger<TableOutboxStore>.Instance, TableName("outbox")),
        new TableAgentCardStore(service, Time, NullLogger<TableAgentCardStore>.Instance, TableName("agentcards")),
        CreatePurge(service));

    private TableStatePurge CreatePurge(TableServiceClient service) => new(
        service, new LoggerFactory([Logs]).CreateLogger<TableStatePurge>(), PageSize, TableName("callstate"), TableName("calllog"), TableName("outbox"),
        TableName("agentcards"));

    [Fact]
    public async Task Purge_FailingDelete_LogsAWarningAndTheRestGoes_TheNextRunDeletesWhatWasLeft()
    {
        var stores = await CreateAsync();
        foreach (var call in new[] { "call-a", "call-b", "call-c" })
        {
            for (var sequence = 1; sequence <= 3; sequence++) await stores.CallLog.AppendAsync(Line(call, sequence));
        }

        Time.Advance(31 * Day);
        var failing = new FailFirstBatchHandler();
        var options = AzuriteFixture.FastRetryOptions();
        options.Transport = new HttpClientTransport(new HttpClient(failing));
        var purge = CreatePurge(new TableServiceClient(azurite.ConnectionString, options));
        var cutoffs = new RetentionCutoffs(Time.GetUtcNow() - Day, Time.GetUtcNow() - 30 * Day);

        var first = await purge.PurgeAsync(cutoffs);

        Assert.Equal(new PurgedTable(TableName("calllog"), 6, 3), first.Single(t => t.Table == TableName("calllog")));
        Assert.Empty(await stores.CallLog.ReadAsync("call-b"));
        Assert.Empty(await stores.CallLog.ReadAsync("call-c"));
        Assert.Equal(3, (await stores.CallLog.ReadAsync("call-a")).Count);
        var warning = Assert.Single(Logs.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal(3202, warning.EventId.Id);
        Assert.DoesNotContain("call-a", warning.Message, StringComparison.Ordinal);

        var second = await purge.PurgeAsync(cutoffs);

        Assert.Equal(new PurgedTable(TableName("calllog"), 3, 0), second.Single(t => t.Table == TableName("calllog")));
        Assert.Empty(await stores.CallLog.ReadAsync("call-a"));
    }

    [Fact]
    public async Task Purge_RowWithoutTheAppsTime_IsAgedByTheServerTimestamp()
    {
        var service = azurite.CreateServiceClient();
        var table = service.GetTableClient(TableName("callstate"));
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity("call-before-updatedat", "state") { ["Values"] = "{}" });
        var purge = CreatePurge(service);
        // The server stamps rows with the real time.
        var serverNow = TimeProvider.System.GetUtcNow();

        var tooEarly = await purge.PurgeAsync(new RetentionCutoffs(serverNow - TimeSpan.FromHours(1), serverNow - TimeSpan.FromHours(1)));
        Assert.Equal(0, tooEarly[0].Deleted);

        var due = await purge.PurgeAsync(new RetentionCutoffs(serverNow + TimeSpan.FromMinutes(5), serverNow - TimeSpan.FromHours(1)));
        Assert.Equal(1, due[0].Deleted);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("call-before-updatedat", "state")).HasValue);
    }

    [Fact]
    public async Task Purge_TablesNeverCreated_NothingToDeleteAndNoWarning()
    {
        var purge = CreatePurge(azurite.CreateServiceClient());

        var purged = await purge.PurgeAsync(new RetentionCutoffs(Time.GetUtcNow(), Time.GetUtcNow()));

        Assert.All(purged, t => Assert.Equal((0, 0), (t.Deleted, t.Failed)));
        Assert.DoesNotContain(Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Purge_RecentRows_AreLeftOutByTheServiceNotReadAndSkipped()
    {
        var stores = await CreateAsync();
        await stores.CallLog.AppendAsync(Line("call-old", 1));
        Time.Advance(31 * Day);
        for (var sequence = 1; sequence <= 2 * PageSize; sequence++) await stores.CallLog.AppendAsync(Line("call-recent", sequence));
        var counting = new CountingHandler();
        var options = AzuriteFixture.FastRetryOptions();
        options.Transport = new HttpClientTransport(new HttpClient(counting));

        var purged = await CreatePurge(new TableServiceClient(azurite.ConnectionString, options))
            .PurgeAsync(new RetentionCutoffs(Time.GetUtcNow() - Day, Time.GetUtcNow() - 30 * Day));

        Assert.Equal(1, purged.Single(t => t.Table == TableName("calllog")).Deleted);
        Assert.Equal(1, counting.Queries(TableName("calllog")));
        Assert.Equal(2 * PageSize, (await stores.CallLog.ReadAsync("call-recent")).Count);
    }

    [Fact]
    public async Task Purge_LineRewrittenBetweenReadAndDelete_Stays()
    {
        var stores = await CreateAsync();
        for (var sequence = 1; sequence <= 3; sequence++) await stores.CallLog.AppendAsync(Line("call-a", sequence));
        Time.Advance(31 * Day);
        // A live write of line 2 lands between the purge's read and its delete.
        var handler = new BeforeFirstBatch(() => stores.CallLog.AppendAsync(Line("call-a", 2)));
        var options = AzuriteFixture.FastRetryOptions();
        options.Transport = new HttpClientTransport(new HttpClient(handler));

        var purged = await CreatePurge(new TableServiceClient(azurite.ConnectionString, options))
            .PurgeAsync(new RetentionCutoffs(Time.GetUtcNow() - Day, Time.GetUtcNow() - 30 * Day));

        Assert.Equal([2], (await stores.CallLog.ReadAsync("call-a")).Select(l => l.Sequence));
        Assert.Equal(new PurgedTable(TableName("calllog"), 2, 0), purged.Single(t => t.Table == TableName("calllog")));
    }

    [Fact]
    public async Task Purge_OneOfTheRowByRowDeletesFails_CountsWhatWasDeletedAndWhatWasLeft()
    {
        var stores = await CreateAsync();
        for (var sequence = 1; sequence <= 4; sequence++) await stores.CallLog.AppendAsync(Line("call-b", sequence));
        Time.Advance(31 * Day);
        // A live write makes the transaction fail (412), so the purge deletes row by row; the delete of line 3 is refused.
        var handler = new BeforeFirstBatch(() => stores.CallLog.AppendAsync(Line("call-b", 2)), refuseDeleteOf: "RowKey='0000000003'");
        var options = AzuriteFixture.FastRetryOptions();
        options.Transport = new HttpClientTransport(new HttpClient(handler));

        var purged = await CreatePurge(new TableServiceClient(azurite.ConnectionString, options))
            .PurgeAsync(new RetentionCutoffs(Time.GetUtcNow() - Day, Time.GetUtcNow() - 30 * Day));

        // Lines 1 and 4 are gone, line 2 was rewritten (no longer due), line 3 could not be deleted: the log says so.
        Assert.Equal([2, 3], (await stores.CallLog.ReadAsync("call-b")).Select(l => l.Sequence));
        Assert.Equal(new PurgedTable(TableName("calllog"), 2, 1), purged.Single(t => t.Table == TableName("calllog")));
        var warning = Assert.Single(Logs.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal(3202, warning.EventId.Id);
        Assert.Contains("could not delete 1 rows", warning.Message, StringComparison.Ordinal);
    }

    private sealed class CountingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _gets = new();

        public int Queries(string table) => _gets.Count(path => path.EndsWith("/" + table + "()", StringComparison.Ordinal));

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get) _gets.Enqueue(request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="action"/> before the first transaction reaches Azurite; refuses (403) one row's delete.</summary>
    private sealed class BeforeFirstBatch(Func<Task> action, string? refuseDeleteOf = null) : DelegatingHandler(new HttpClientHandler())
    {
        private int _batches;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (refuseDeleteOf is not null && request.Method == HttpMethod.Delete
                && Uri.UnescapeDataString(request.RequestUri!.AbsolutePath).Contains(refuseDeleteOf, StringComparison.Ordinal))
            {
                return new HttpResponseMessage(HttpStatusCode.Forbidden) { RequestMessage = request };
            }

            if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _batches) == 1)
            {
                await action();
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Refuses the first entity group transaction (403: not retried), passes everything else to Azurite.</summary>
    private sealed class FailFirstBatchHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private int _batches;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/$batch", StringComparison.Ordinal) && Interlocked.Increment(ref _batches) == 1)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.Forbidden) { RequestMessage = request });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
