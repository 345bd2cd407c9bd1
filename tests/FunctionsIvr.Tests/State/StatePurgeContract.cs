using FunctionsIvr.Agents;
using FunctionsIvr.CallRecords;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.State;

/// <summary>
/// The retention purge as PurgeState runs it (<see cref="StateRetention"/>), on each store: what is past its use goes,
/// what is still needed (a call in progress, an order not yet settled, a recent log) stays.
/// </summary>
public abstract class StatePurgeContract
{
    protected static readonly TimeSpan Day = TimeSpan.FromDays(1);

    protected ManualTimeProvider Time { get; } = new();

    protected CapturingLoggerProvider Logs { get; } = new();

    protected sealed record Stores(ICallStateStore CallState, ICallLog CallLog, IOutboxStore Outbox, IAgentCardStore AgentCards, IStatePurge Purge);

    /// <summary>Stores over one storage, writing with <see cref="Time"/>, and their purge (logging to <see cref="Logs"/>).</summary>
    protected abstract Task<Stores> CreateAsync();

    protected StateRetention Retention(Stores stores, int retentionDays = 30) =>
        new(stores.Purge, Options.Create(new StateOptions { RetentionDays = retentionDays }), Time, new LoggerFactory([Logs]).CreateLogger<StateRetention>());

    [Fact]
    public async Task Purge_OldRowsGo_RecentRowsAndOpenOrdersStay()
    {
        var stores = await CreateAsync();
        // Day 0: a finished call, its call record rows and orders; two orders never settled.
        await SaveStateAsync(stores, "call-old");
        await SaveStateAsync(stores, MergedCallRecord.StoreKey("call-old"));
        await stores.CallLog.AppendAsync(Line("call-old", 1));
        await stores.AgentCards.AddAsync(Card("agent_a", "call-old"));
        foreach (var status in new[] { OutboxStatus.Committed, OutboxStatus.Aborted, OutboxStatus.Failed, OutboxStatus.Prepared, OutboxStatus.Queued })
        {
            await stores.Outbox.AddAsync(Order("tx-old-" + status, status));
        }

        // Day 29: a call whose state is past its use, but whose log, call record rows and order are within retention.
        Time.Advance(29 * Day);
        await SaveStateAsync(stores, "call-recent");
        await SaveStateAsync(stores, MergedCallRecord.StoreKey("call-recent"));
        await stores.CallLog.AppendAsync(Line("call-recent", 1));
        await stores.AgentCards.AddAsync(Card("agent_a", "call-recent"));
        await stores.Outbox.AddAsync(Order("tx-recent", OutboxStatus.Committed));

        // Day 31: a call in progress.
        Time.Advance(2 * Day);
        await SaveStateAsync(stores, "call-live");

        var lines = await Retention(stores).PurgeAsync(CancellationToken.None);

        Assert.Null(await stores.CallState.GetAsync("call-old"));
        Assert.Null(await stores.CallState.GetAsync(MergedCallRecord.StoreKey("call-old")));
        Assert.Null(await stores.CallState.GetAsync("call-recent"));
        Assert.NotNull(await stores.CallState.GetAsync(MergedCallRecord.StoreKey("call-recent")));
        Assert.NotNull(await stores.CallState.GetAsync("call-live"));
        Assert.Empty(await stores.CallLog.ReadAsync("call-old"));
        Assert.Single(await stores.CallLog.ReadAsync("call-recent"));
        Assert.Null(await stores.Outbox.GetAsync("tx-old-Committed"));
        Assert.Null(await stores.Outbox.GetAsync("tx-old-Aborted"));
        Assert.Null(await stores.Outbox.GetAsync("tx-old-Failed"));
        Assert.Equal(OutboxStatus.Prepared, (await stores.Outbox.GetAsync("tx-old-Prepared"))!.Status);
        Assert.Equal(OutboxStatus.Queued, (await stores.Outbox.GetAsync("tx-old-Queued"))!.Status);
        Assert.NotNull(await stores.Outbox.GetAsync("tx-recent"));
        Assert.Equal(["call-recent"], (await stores.AgentCards.ListAsync("agent_a")).Select(c => c.CallId));
        Assert.Equal(
            [$"{TableName("callstate")}: 3 deleted, 0 left after a failure", $"{TableName("calllog")}: 1 deleted, 0 left after a failure",
             $"{TableName("outbox")}: 3 deleted, 0 left after a failure", $"{TableName("agentcards")}: 1 deleted, 0 left after a failure"],
            lines);
        Assert.All(Logs.Lines, line => Assert.DoesNotContain("call-", line.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Purge_OpaqueCallId_ItsCallRecordRowsStayAsLongAsTheLog()
    {
        // A call id too long for a key, with characters keys forbid: its call record rows are still told from call state.
        var stores = await CreateAsync();
        var callId = "node-1/" + new string('#', 600);
        await SaveStateAsync(stores, callId);
        await SaveStateAsync(stores, MergedCallRecord.StoreKey(callId));
        Time.Advance(2 * Day);

        await Retention(stores).PurgeAsync(CancellationToken.None);

        Assert.Null(await stores.CallState.GetAsync(callId));
        Assert.NotNull(await stores.CallState.GetAsync(MergedCallRecord.StoreKey(callId)));
    }

    [Fact]
    public async Task Purge_RetentionDaysSetting_DecidesWhatIsOld()
    {
        var stores = await CreateAsync();
        await stores.CallLog.AppendAsync(Line("call-a", 1));
        await stores.Outbox.AddAsync(Order("tx-a", OutboxStatus.Committed));
        Time.Advance(3 * Day);

        await Retention(stores, retentionDays: 4).PurgeAsync(CancellationToken.None);
        Assert.Single(await stores.CallLog.ReadAsync("call-a"));
        Assert.NotNull(await stores.Outbox.GetAsync("tx-a"));

        await Retention(stores, retentionDays: 2).PurgeAsync(CancellationToken.None);
        Assert.Empty(await stores.CallLog.ReadAsync("call-a"));
        Assert.Null(await stores.Outbox.GetAsync("tx-a"));
    }

    [Fact]
    public async Task Purge_ManyRows_DeletesEveryDueOneAcrossPagesAndTransactions()
    {
        var stores = await CreateAsync();
        for (var call = 0; call < 3; call++)
        {
            for (var sequence = 1; sequence <= 120; sequence++) await stores.CallLog.AppendAsync(Line("call-many-" + call, sequence));
        }

        for (var call = 0; call < 30; call++) await SaveStateAsync(stores, "call-state-" + call);
        Time.Advance(31 * Day);
        await stores.CallLog.AppendAsync(Line("call-many-1", 121));

        var lines = await Retention(stores).PurgeAsync(CancellationToken.None);

        Assert.Empty(await stores.CallLog.ReadAsync("call-many-0"));
        Assert.Equal([121], (await stores.CallLog.ReadAsync("call-many-1")).Select(l => l.Sequence));
        Assert.Empty(await stores.CallLog.ReadAsync("call-many-2"));
        Assert.Null(await stores.CallState.GetAsync("call-state-29"));
        Assert.Contains($"{TableName("calllog")}: 360 deleted, 0 left after a failure", lines);
        Assert.Contains($"{TableName("callstate")}: 30 deleted, 0 left after a failure", lines);
    }

    /// <summary>The name the purge reports for a table (Azurite tests use names unique to the test).</summary>
    protected virtual string TableName(string table) => table;

    protected async Task SaveStateAsync(Stores stores, string key) =>
        await stores.CallState.SaveAsync(new CallState(key) { Values = { ["step"] = "menu" } });

    protected CallLogEntry Line(string callId, int sequence) =>
        new() { CallId = callId, Sequence = sequence, Time = Time.GetUtcNow(), Step = "menu", Action = "GetDTMF prompt=main_menu" };

    protected AgentCard Card(string login, string callId) =>
        new() { Login = login, CallId = callId, Key = callId + ":3", CreatedAt = Time.GetUtcNow(), CallerName = "Jan Kowalski", Steps = ["menu"] };

    protected OutboxEntry Order(string transactionId, OutboxStatus status)
    {
        var now = Time.GetUtcNow();
        return new OutboxEntry(transactionId)
        {
            CallId = "call-of-" + transactionId,
            ContactId = "c-1001",
            OrderNumber = "ZS/2026/001400",
            Total = 12.50m,
            Currency = "PLN",
            Status = status,
            MessageBody = "{}",
            PreparedAt = now,
            ExpiresAt = now.AddMinutes(15),
            UpdatedAt = now,
        };
    }
}
