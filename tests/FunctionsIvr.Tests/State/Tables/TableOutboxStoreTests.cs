using Azure;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableOutboxStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _tableName = AzuriteFixture.UniqueTableName("outbox");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

    [Fact]
    public async Task Add_ThenGet_ReturnsEveryFieldAndSetsETag()
    {
        var store = CreateStore();
        var entry = Entry("tx-1", OutboxStatus.Prepared);

        await store.AddAsync(entry);
        var read = await store.GetAsync("tx-1");

        Assert.NotNull(read);
        Assert.NotEqual(default, entry.ETag);
        Assert.Equal(entry.ETag, read.ETag);
        Assert.Equal(entry.CallId, read.CallId);
        Assert.Equal(entry.ContactId, read.ContactId);
        Assert.Equal(entry.OrderNumber, read.OrderNumber);
        Assert.Equal(12.50m, read.Total);
        Assert.Equal("12.50", read.Total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(entry.Currency, read.Currency);
        Assert.Equal(OutboxStatus.Prepared, read.Status);
        Assert.Equal(entry.MessageBody, read.MessageBody);
        Assert.Equal(entry.PreparedAt, read.PreparedAt);
        Assert.Equal(entry.ExpiresAt, read.ExpiresAt);
        Assert.Equal(entry.UpdatedAt, read.UpdatedAt);
        Assert.Equal(0, read.SendAttempts);
        Assert.Null(read.LastError);
    }

    [Fact]
    public async Task Get_Unknown_ReturnsNull()
    {
        Assert.Null(await CreateStore().GetAsync("tx-unknown"));
    }

    [Fact]
    public async Task Add_SameTransactionTwice_Throws409()
    {
        var store = CreateStore();
        await store.AddAsync(Entry("tx-2", OutboxStatus.Prepared));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.AddAsync(Entry("tx-2", OutboxStatus.Prepared)));

        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task Update_WithCurrentETag_ChangesStatusAndETag()
    {
        var store = CreateStore();
        var entry = Entry("tx-3", OutboxStatus.Prepared);
        await store.AddAsync(entry);
        var before = entry.ETag;

        entry.Status = OutboxStatus.Queued;
        entry.SendAttempts = 1;
        entry.LastError = "first send timed out";
        await store.UpdateAsync(entry);

        Assert.NotEqual(before, entry.ETag);
        var read = (await store.GetAsync("tx-3"))!;
        Assert.Equal(OutboxStatus.Queued, read.Status);
        Assert.Equal(1, read.SendAttempts);
        Assert.Equal("first send timed out", read.LastError);
        Assert.Equal(entry.ETag, read.ETag);
    }

    [Fact]
    public async Task Update_ErrorLongerThanAPropertyHolds_IsSavedWithItsStartKept()
    {
        // The text comes from an ERP or a queue; a save refused for its length would leave the entry's status behind.
        var store = CreateStore();
        var entry = Entry("tx-long-error", OutboxStatus.Prepared);
        await store.AddAsync(entry);

        entry.Status = OutboxStatus.Queued;
        entry.LastError = "ERP answered 500: " + new string('x', 40_000);
        await store.UpdateAsync(entry);

        var read = (await store.GetAsync("tx-long-error"))!;
        Assert.Equal(OutboxStatus.Queued, read.Status);
        Assert.StartsWith("ERP answered 500: xxx", read.LastError, StringComparison.Ordinal);
        Assert.EndsWith("…", read.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_WithStaleETag_Throws412()
    {
        var store = CreateStore();
        await store.AddAsync(Entry("tx-4", OutboxStatus.Prepared));
        var sweep = (await store.GetAsync("tx-4"))!;
        var phone = (await store.GetAsync("tx-4"))!;
        phone.Status = OutboxStatus.Queued;
        await store.UpdateAsync(phone);

        sweep.Status = OutboxStatus.Aborted;
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.UpdateAsync(sweep));

        Assert.Equal(412, error.Status);
        Assert.Equal(OutboxStatus.Queued, (await store.GetAsync("tx-4"))!.Status);
    }

    [Fact]
    public async Task Update_NeverReadEntry_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => CreateStore().UpdateAsync(Entry("tx-5", OutboxStatus.Queued)));
    }

    [Fact]
    public async Task List_ByStatuses_ReturnsOnlyThoseStates()
    {
        var store = CreateStore();
        await store.AddAsync(Entry("tx-p", OutboxStatus.Prepared));
        await store.AddAsync(Entry("tx-q", OutboxStatus.Queued));
        await store.AddAsync(Entry("tx-c", OutboxStatus.Committed));
        await store.AddAsync(Entry("tx-f", OutboxStatus.Failed));

        var stuck = await store.ListAsync([OutboxStatus.Prepared, OutboxStatus.Queued]);
        var none = await store.ListAsync([]);
        var aborted = await store.ListAsync([OutboxStatus.Aborted]);

        Assert.Equal(["tx-p", "tx-q"], stuck.Select(e => e.TransactionId).Order());
        Assert.All(stuck, e => Assert.NotEqual(default, e.ETag));
        Assert.Empty(none);
        Assert.Empty(aborted);
    }

    private static OutboxEntry Entry(string transactionId, OutboxStatus status) => new(transactionId)
    {
        CallId = "call-1",
        ContactId = "C-17",
        OrderNumber = "SO-1001",
        Total = 12.50m,
        Currency = "EUR",
        Status = status,
        MessageBody = """{"transactionId":"tx","lines":[{"sku":"A-1","qty":2}]}""",
        PreparedAt = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset(2025, 6, 1, 12, 15, 0, TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(2025, 6, 1, 12, 0, 1, TimeSpan.Zero),
    };

    private TableOutboxStore CreateStore() => new(azurite.CreateServiceClient(), NullLogger<TableOutboxStore>.Instance, _tableName);
}
