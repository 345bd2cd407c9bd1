using FunctionsIvr.Orders;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Faults;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>Table Storage that accepts the connection and never answers: the client gives up and says storage failed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageHangTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OutboxRead_StorageNeverAnswers_FailsAsAStorageFailureAfterItsNetworkTimeouts()
    {
        await using var storage = CuttableTcpProxy.Start(azurite.Endpoint.Port);
        var options = new TableClientOptions();
        options.Retry.NetworkTimeout = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(50);
        var outbox = new TableOutboxStore(new TableServiceClient(DrillApp.StorageAt(storage.Port), options), NullLogger<TableOutboxStore>.Instance);
        Assert.Null(await outbox.GetAsync("tx-before-the-hang"));

        storage.Hang();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => outbox.GetAsync("tx-during-the-hang").WaitAsync(TimeSpan.FromSeconds(60)));

        // What the commit processor and the order placement take for "storage is down" (not a cancellation of theirs).
        Assert.IsType<AggregateException>(failure);
        Assert.True(StorageFailures.IsStorageFailure(failure), failure.ToString());
        storage.Restore();
        Assert.Null(await outbox.GetAsync("tx-after-the-hang"));
    }
}
