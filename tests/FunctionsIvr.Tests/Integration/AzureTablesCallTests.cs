using System.Text.Json;
using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Integration;

/// <summary>
/// A call through the real HTTP pipeline with <c>StateStorage</c> on Azurite, the in-process queue and the DemoErp:
/// what support and the commit read back from Azure Tables.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTablesCallTests : IClassFixture<DemoErpHost>, IAsyncLifetime
{
    private readonly AzuriteFixture _azurite;
    private readonly DemoErpHost _erp;
    private IntegrationApp _app = null!;

    public AzureTablesCallTests(AzuriteFixture azurite, DemoErpHost erp)
    {
        _azurite = azurite;
        _erp = erp;
    }

    public Task InitializeAsync()
    {
        _app = new IntegrationApp(_erp, new() { ["StateStorage"] = _azurite.ConnectionString });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void StateStorageSet_TableStoresAndInProcessQueueAreWired()
    {
        Assert.IsType<TableCallStateStore>(_app.Services.GetRequiredService<ICallStateStore>());
        Assert.IsType<TableCallLog>(_app.Services.GetRequiredService<ICallLog>());
        Assert.IsType<TableOutboxStore>(_app.Services.GetRequiredService<IOutboxStore>());
        Assert.IsType<InProcessWorkQueue>(_app.Services.GetRequiredService<FunctionsIvr.Work.IWorkQueue>());
    }

    [Fact]
    public async Task RepeatOrder_CallLogCallStateAndCommittedOutboxRowInTables_OneNewOrderInTheErp()
    {
        var erp = _erp.CreateClient();
        var ordersBefore = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        var call = new CallDriver(_app, DemoCustomer.Phone);

        await call.SendAsync("Connected");
        Assert.Equal("Answer", call.LastType);
        await call.ListenUntilAskedAsync();
        Assert.Equal("2", call.LastPrompt);
        // Order status first: its read-out list of active orders is what the call state holds.
        await call.SendAsync("GetDTMF", "1");
        await call.ListenUntilAskedAsync();
        Assert.Equal("108", call.LastPrompt);
        await call.SendAsync("GetDTMF", "9");
        Assert.Equal("2", call.LastPrompt);
        await call.SendAsync("GetDTMF", "2");
        await call.ListenUntilAskedAsync();
        Assert.Equal("124", call.LastPrompt);
        await call.SendAsync("GetDTMF", "1");
        Assert.Equal("129", call.LastPrompt);

        await _app.Services.GetRequiredService<InProcessWorkQueue>().WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var service = _azurite.CreateServiceClient();
        var outbox = await Rows(service.GetTableClient(TableOutboxStore.DefaultTableName), $"CallId eq {call.CallId}");
        var row = Assert.Single(outbox);
        Assert.Equal(nameof(OutboxStatus.Committed), row.GetString("Status"));
        var ordersAfter = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        var added = Assert.Single(ordersAfter, o => ordersBefore.All(b => b.Id != o.Id));
        Assert.Equal(row.GetString("OrderNumber"), added.Number);

        var state = await Rows(service.GetTableClient(TableCallStateStore.DefaultTableName), $"PartitionKey eq {call.CallId}");
        var stateRow = Assert.Single(state);
        Assert.Equal("state", stateRow.RowKey);
        Assert.Contains("\"orders\"", stateRow.GetString("Values"), StringComparison.Ordinal);

        var log = await WaitForRowsAsync(service.GetTableClient(TableCallLog.DefaultTableName), call.CallId, call.Answers.Count);
        Assert.Equal(call.Answers.Count, log.Count);
        Assert.Equal(Enumerable.Range(0, log.Count).Select(i => call.Answers[i]["Action"]!["Type"]!.GetValue<string>()),
            log.Select(r => r.GetString("ActionType")));
        Assert.All(log, r => Assert.False(string.IsNullOrEmpty(r.GetString("Action"))));
        // A callback answered from memory can take under 0.05 ms (recorded as 0.0); one that waited for the ERP cannot.
        Assert.All(log, r => Assert.True(r.GetDouble("DurationMs") >= 0, "every callback records how long it took"));
        Assert.All(log.Where(r => !string.IsNullOrEmpty(r.GetString("ErpCalls"))),
            r => Assert.True(r.GetDouble("DurationMs") > 0, "a callback that called the ERP records the wait"));
        var keys = log.Where(r => r.GetString("EventName") == "GetDTMF").ToList();
        Assert.Equal(["#", "#", "#", "#"], keys.Select(r => r.GetString("EventData")));
        Assert.Single(log, r => r.GetString("ErpCalls")!.StartsWith("GET /contacts 200", StringComparison.Ordinal));
        Assert.Contains("POST /transactions 20", keys[^1].GetString("ErpCalls"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallIdWithSlashAndHash_TheCallGoesOnAndItsLogIsReadBackUnderThatId()
    {
        // UniqueCallId is opaque to us; Table Storage keys cannot hold '/', '\', '#' or '?'.
        var call = new CallDriver(_app, DemoCustomer.Phone, "pbx-2/" + Guid.NewGuid().ToString("N") + "#1");

        await call.SendAsync("Connected");
        await call.ListenUntilAskedAsync();
        Assert.Equal("2", call.LastPrompt);
        await call.SendAsync("GetDTMF", "1");
        await call.ListenUntilAskedAsync();
        Assert.Equal("108", call.LastPrompt);

        var state = await _app.Services.GetRequiredService<ICallStateStore>().GetAsync(call.CallId);
        Assert.NotNull(state);
        Assert.Contains("orders", state.Values.Keys);
        var log = _app.Services.GetRequiredService<ICallLog>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await log.ReadAsync(call.CallId)).Count < call.Answers.Count && !deadline.IsCancellationRequested) await Task.Delay(100);
        var lines = await log.ReadAsync(call.CallId);
        Assert.Equal(call.Answers.Count, lines.Count);
        Assert.All(lines, line => Assert.Equal(call.CallId, line.CallId));
    }

    private static async Task<List<TableEntity>> Rows(TableClient table, FormattableString filter)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(filter))) rows.Add(row);
        return rows;
    }

    /// <summary>The call log is written beside the answer (it waits only briefly for the write), so the last lines may land a moment later.</summary>
    private static async Task<List<TableEntity>> WaitForRowsAsync(TableClient table, string callId, int expected)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var rows = await Rows(table, $"PartitionKey eq {callId}");
            if (rows.Count >= expected || deadline.IsCancellationRequested) return rows;
            await Task.Delay(100, CancellationToken.None);
        }
    }
}
