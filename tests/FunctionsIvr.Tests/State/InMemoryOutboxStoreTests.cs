using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;

namespace FunctionsIvr.Tests.State;

public sealed class InMemoryOutboxStoreTests : OutboxStoreContract
{
    protected override Task<IOutboxStore> CreateStoreAsync() => Task.FromResult<IOutboxStore>(new InMemoryOutboxStore());

    [Fact]
    public async Task UpdateAsync_EntryWithoutETag_IsRefusedInsteadOfOverwriting()
    {
        var store = new InMemoryOutboxStore();
        var entry = NewEntry();
        await store.AddAsync(entry);
        var unversioned = new OutboxEntry(entry.TransactionId) { Status = OutboxStatus.Aborted };

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpdateAsync(unversioned));

        Assert.Equal(OutboxStatus.Prepared, (await store.GetAsync(entry.TransactionId))!.Status);
    }
}
