using Azure;
using FunctionsIvr.State;

namespace FunctionsIvr.Tests.State;

/// <summary>
/// What every <see cref="IOutboxStore"/> promises. Subclass it once per implementation (in memory, Table Storage
/// over Azurite). Transaction ids are unique per test and list assertions look only at the test's own entries,
/// so the suite can run against a shared table.
/// </summary>
public abstract class OutboxStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A store ready for use (table created, if there is one).</summary>
    protected abstract Task<IOutboxStore> CreateStoreAsync();

    protected static OutboxEntry NewEntry(
        OutboxStatus status = OutboxStatus.Prepared, string callId = "call-1", DateTimeOffset? preparedAt = null, string? transactionId = null) =>
        new(transactionId ?? "tx-" + Guid.NewGuid().ToString("N"))
    {
        CallId = callId,
        Turn = 7,
        ContactId = "C-1001",
        OrderNumber = "SO-2001",
        Total = 1234.56m,
        Currency = "EUR",
        Status = status,
        MessageBody = "{\"transactionId\":\"tx\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2}]}",
        PreparedAt = preparedAt ?? T0,
        ExpiresAt = T0.AddMinutes(30),
        UpdatedAt = T0,
        SendAttempts = 0,
        LastError = null,
    };

    private static void AssertSameContent(OutboxEntry expected, OutboxEntry actual)
    {
        Assert.Equal(expected.TransactionId, actual.TransactionId);
        Assert.Equal(expected.CallId, actual.CallId);
        Assert.Equal(expected.Turn, actual.Turn);
        Assert.Equal(expected.ContactId, actual.ContactId);
        Assert.Equal(expected.OrderNumber, actual.OrderNumber);
        Assert.Equal(expected.Total, actual.Total);
        Assert.Equal(expected.Currency, actual.Currency);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.MessageBody, actual.MessageBody);
        Assert.Equal(expected.PreparedAt, actual.PreparedAt);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.SendAttempts, actual.SendAttempts);
        Assert.Equal(expected.LastError, actual.LastError);
    }

    [Fact]
    public async Task ListForCallAsync_ThatCallsEntriesOnly_OldestFirstWhateverTheirState()
    {
        var store = await CreateStoreAsync();
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var later = NewEntry(OutboxStatus.Committed, callId, T0.AddMinutes(2));
        var first = NewEntry(OutboxStatus.Aborted, callId);
        var otherCall = NewEntry(callId: "call-" + Guid.NewGuid().ToString("N"));
        await store.AddAsync(later);
        await store.AddAsync(first);
        await store.AddAsync(otherCall);

        var listed = await store.ListForCallAsync(callId);

        Assert.Equal([first.TransactionId, later.TransactionId], listed.Select(e => e.TransactionId));
        Assert.Equal([OutboxStatus.Aborted, OutboxStatus.Committed], listed.Select(e => e.Status));
        Assert.Empty(await store.ListForCallAsync("call-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task GetAsync_UnknownTransaction_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync("tx-" + Guid.NewGuid().ToString("N")));
    }

    [Fact]
    public async Task AddAsync_NewEntry_IsReadBackWithEveryFieldAndTheETagAddSet()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        entry.LastError = "ERP 503";
        entry.SendAttempts = 2;

        await store.AddAsync(entry);

        Assert.NotEqual(default, entry.ETag);
        var read = await store.GetAsync(entry.TransactionId);
        Assert.NotNull(read);
        AssertSameContent(entry, read);
        Assert.Equal(entry.ETag, read.ETag);
    }

    [Theory]
    [InlineData("TX/2026/{0}")]
    [InlineData("tx#{0}?v=1")]
    [InlineData("tx\\{0}")]
    public async Task TransactionIdWithCharactersKeysCannotHold_AddedReadUpdatedAndListed(string pattern)
    {
        // The ERP chooses the transaction id; one like its order numbers (TX/2026/…) must not stop an order.
        var store = await CreateStoreAsync();
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var entry = NewEntry(callId: callId, transactionId: string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, Guid.NewGuid().ToString("N")));

        await store.AddAsync(entry);
        var read = await store.GetAsync(entry.TransactionId);
        read!.Status = OutboxStatus.Queued;
        await store.UpdateAsync(read);

        var listed = Assert.Single(await store.ListForCallAsync(callId));
        Assert.Equal(entry.TransactionId, listed.TransactionId);
        Assert.Equal(OutboxStatus.Queued, (await store.GetAsync(entry.TransactionId))!.Status);
    }

    [Fact]
    public async Task AddAsync_ExistingTransaction_Throws409AndKeepsTheFirst()
    {
        var store = await CreateStoreAsync();
        var first = NewEntry();
        await store.AddAsync(first);
        var second = new OutboxEntry(first.TransactionId) { OrderNumber = "SO-OTHER" };

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.AddAsync(second));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Equal("SO-2001", (await store.GetAsync(first.TransactionId))!.OrderNumber);
    }

    [Fact]
    public async Task UpdateAsync_WithCurrentETag_SavesChangesAndChangesETag()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.AddAsync(entry);
        var read = await store.GetAsync(entry.TransactionId);
        var before = read!.ETag;
        read.Status = OutboxStatus.Queued;
        read.SendAttempts = 1;
        read.UpdatedAt = T0.AddSeconds(5);
        read.LastError = "first send timed out";

        await store.UpdateAsync(read);

        Assert.NotEqual(before, read.ETag);
        var reread = await store.GetAsync(entry.TransactionId);
        AssertSameContent(read, reread!);
        Assert.Equal(read.ETag, reread!.ETag);
    }

    [Fact]
    public async Task UpdateAsync_WithStaleETag_Throws412AndKeepsTheOtherWrite()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.AddAsync(entry);
        var sweep = await store.GetAsync(entry.TransactionId);
        var commit = await store.GetAsync(entry.TransactionId);
        commit!.Status = OutboxStatus.Committed;
        await store.UpdateAsync(commit);
        sweep!.Status = OutboxStatus.Aborted;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.UpdateAsync(sweep));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Equal(OutboxStatus.Committed, (await store.GetAsync(entry.TransactionId))!.Status);
    }

    [Fact]
    public async Task UpdateAsync_TransactionNeverAdded_Throws404ResourceNotFound()
    {
        var store = await CreateStoreAsync();
        var added = NewEntry();
        await store.AddAsync(added);
        var missing = NewEntry();
        missing.ETag = added.ETag;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.UpdateAsync(missing));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Null(await store.GetAsync(missing.TransactionId));
    }

    [Fact]
    public async Task AddAsync_CallerChangesItsObjectAfterAdding_StoredEntryUnchanged()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.AddAsync(entry);

        entry.Status = OutboxStatus.Failed;
        entry.SendAttempts = 99;

        var read = await store.GetAsync(entry.TransactionId);
        Assert.Equal(OutboxStatus.Prepared, read!.Status);
        Assert.Equal(0, read.SendAttempts);
    }

    [Fact]
    public async Task GetAsync_CallerChangesTheEntryItRead_StoredEntryUnchanged()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry();
        await store.AddAsync(entry);

        var first = await store.GetAsync(entry.TransactionId);
        first!.Status = OutboxStatus.Failed;

        Assert.Equal(OutboxStatus.Prepared, (await store.GetAsync(entry.TransactionId))!.Status);
    }

    [Fact]
    public async Task ListAsync_ByStatus_ReturnsOnlyEntriesInThoseStates()
    {
        var store = await CreateStoreAsync();
        var prepared = NewEntry(OutboxStatus.Prepared);
        var queued = NewEntry(OutboxStatus.Queued);
        var committed = NewEntry(OutboxStatus.Committed);
        var aborted = NewEntry(OutboxStatus.Aborted);
        foreach (var e in new[] { prepared, queued, committed, aborted }) await store.AddAsync(e);
        var mine = new HashSet<string> { prepared.TransactionId, queued.TransactionId, committed.TransactionId, aborted.TransactionId };

        var stuck = await store.ListAsync([OutboxStatus.Prepared, OutboxStatus.Queued]);

        var found = stuck.Where(e => mine.Contains(e.TransactionId)).ToList();
        Assert.Equal(new[] { prepared.TransactionId, queued.TransactionId }.Order(), found.Select(e => e.TransactionId).Order());
        Assert.All(stuck, e => Assert.Contains(e.Status, new[] { OutboxStatus.Prepared, OutboxStatus.Queued }));
        var listedQueued = found.Single(e => e.TransactionId == queued.TransactionId);
        AssertSameContent(queued, listedQueued);
        Assert.Equal(queued.ETag, listedQueued.ETag);
    }

    [Fact]
    public async Task ListAsync_EntryUpdatedOutOfAState_NoLongerListedForIt()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry(OutboxStatus.Queued);
        await store.AddAsync(entry);
        entry.Status = OutboxStatus.Committed;
        await store.UpdateAsync(entry);

        var queued = await store.ListAsync([OutboxStatus.Queued]);
        var committed = await store.ListAsync([OutboxStatus.Committed]);

        Assert.DoesNotContain(queued, e => e.TransactionId == entry.TransactionId);
        Assert.Contains(committed, e => e.TransactionId == entry.TransactionId);
    }

    [Fact]
    public async Task ListAsync_ListedEntry_CanBeUpdatedWithItsETag()
    {
        var store = await CreateStoreAsync();
        var entry = NewEntry(OutboxStatus.Prepared);
        await store.AddAsync(entry);
        var listed = (await store.ListAsync([OutboxStatus.Prepared])).Single(e => e.TransactionId == entry.TransactionId);

        listed.Status = OutboxStatus.Queued;
        await store.UpdateAsync(listed);

        Assert.Equal(OutboxStatus.Queued, (await store.GetAsync(entry.TransactionId))!.Status);
    }
}
