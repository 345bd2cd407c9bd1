using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Work;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Integration;

/// <summary>
/// A local run with <c>StateStorage</c> on Azurite (kept over a restart) and the in-process queue (not kept): an order
/// accepted and queued, the app stopped before its commit was done, a new app on the same tables.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InProcessQueueRestartTests : IClassFixture<DemoErpHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly AzuriteFixture _azurite;
    private readonly DemoErpHost _erp;

    public InProcessQueueRestartTests(AzuriteFixture azurite, DemoErpHost erp)
    {
        _azurite = azurite;
        _erp = erp;
    }

    [Fact]
    public async Task OrderQueuedThenAppRestartedBeforeItsCommit_SweepOfTheNewAppCommitsItOnce()
    {
        var erp = _erp.CreateClient();
        var ordersBefore = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        var outboxTable = _azurite.CreateServiceClient().GetTableClient(TableOutboxStore.DefaultTableName);
        var held = new HeldCommits();
        string callId;
        await using (var first = new IntegrationApp(_erp, Settings(), services => HoldCommits(services, held)))
        {
            var call = new CallDriver(first, DemoCustomer.Phone);
            await call.SendAsync("Connected");
            await call.ListenUntilAskedAsync();
            await call.SendAsync("GetDTMF", "2");
            await call.ListenUntilAskedAsync();
            Assert.Equal("124", call.LastPrompt);
            await call.SendAsync("GetDTMF", "1");
            Assert.Equal("129", call.LastPrompt);
            await held.Received.Task.WaitAsync(Patience);
            callId = call.CallId;
        }

        var queued = Assert.Single(await Rows(outboxTable, callId));
        Assert.Equal(nameof(OutboxStatus.Queued), queued.GetString("Status"));
        await using var second = new IntegrationApp(_erp, Settings());
        var sweeper = second.Services.GetRequiredService<OutboxSweeper>();
        var queue = second.Services.GetRequiredService<InProcessWorkQueue>();

        await sweeper.SweepAsync();
        await queue.WaitForIdleAsync(Patience);
        await sweeper.SweepAsync();
        await queue.WaitForIdleAsync(Patience);

        var committed = Assert.Single(await Rows(outboxTable, callId));
        Assert.Equal(nameof(OutboxStatus.Committed), committed.GetString("Status"));
        // The re-send is counted after it is sent: the in-process queue may commit first, and a Committed entry takes no
        // more counts. Only the new app can have committed it (the first app's commit was held until it stopped).
        Assert.InRange(committed.GetInt32("SendAttempts") ?? 0, 1, 2);
        var ordersAfter = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        var added = Assert.Single(ordersAfter, o => ordersBefore.All(b => b.Id != o.Id));
        Assert.Equal(committed.GetString("OrderNumber"), added.Number);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["StateStorage"] = _azurite.ConnectionString,
        // A loaded machine must not leave the entry Prepared (a slow send), which is the other path of the sweep.
        ["Orders:SendTimeout"] = "00:00:10",
    };

    /// <summary>The first app's commits are taken off the queue and held until the app stops, as a restart mid-work would.</summary>
    private static void HoldCommits(IServiceCollection services, HeldCommits held)
    {
        services.Remove(services.Single(d => d.ImplementationInstance is WorkProcessorRegistration { QueueName: QueueNames.OrderCommits }));
        services.AddWorkProcessor(QueueNames.OrderCommits, typeof(HeldCommits), _ => held);
    }

    private static async Task<List<TableEntity>> Rows(TableClient table, string callId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CallId eq {callId}"))) rows.Add(row);
        return rows;
    }

    private sealed class HeldCommits : IWorkProcessor
    {
        public TaskCompletionSource Received { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
        {
            Received.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
