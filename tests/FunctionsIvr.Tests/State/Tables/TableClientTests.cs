using Azure;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TableClient _table = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("client"));

    public async Task InitializeAsync() => await _table.CreateIfNotExistsAsync();

    public async Task DisposeAsync() => await _table.DeleteAsync();

    [Fact]
    public async Task CreateIfNotExists_TableExists_ReturnsNullInsteadOfThrowing()
    {
        var second = await _table.CreateIfNotExistsAsync();

        Assert.Null(second);
    }

    [Fact]
    public async Task AddEntity_EveryPropertyType_ReadsBackWithSameTypesAndValues()
    {
        var when = new DateTimeOffset(2024, 2, 29, 23, 59, 58, TimeSpan.FromHours(2)).AddTicks(1234567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("types", "r1")
        {
            ["Text"] = "héllo \"quoted\" 'single'",
            ["Flag"] = true,
            ["Small"] = -42,
            ["Big"] = 9_007_199_254_740_993L,
            ["Ratio"] = 2.0,
            ["Fraction"] = 0.1 + 0.2,
            ["When"] = when,
            ["Id"] = id,
            ["Bytes"] = new byte[] { 0, 1, 2, 254, 255 },
        };

        await _table.AddEntityAsync(entity);
        var read = (await _table.GetEntityAsync<TableEntity>("types", "r1")).Value;

        Assert.Equal("héllo \"quoted\" 'single'", read.GetString("Text"));
        Assert.True(read.GetBoolean("Flag"));
        Assert.Equal(-42, read.GetInt32("Small"));
        Assert.Equal(9_007_199_254_740_993L, read.GetInt64("Big"));
        Assert.IsType<double>(read["Ratio"]);
        Assert.Equal(2.0, read.GetDouble("Ratio"));
        Assert.Equal(0.1 + 0.2, read.GetDouble("Fraction"));
        Assert.Equal(when, read.GetDateTimeOffset("When"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, read.GetBinary("Bytes"));
        Assert.NotNull(read.Timestamp);
        Assert.Equal(entity.ETag, read.ETag);
        Assert.NotEqual(default, read.ETag);
    }

    [Fact]
    public async Task AddEntity_KeysAlreadyUsed_Throws409EntityAlreadyExists()
    {
        await _table.AddEntityAsync(new TableEntity("dup", "r1"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.AddEntityAsync(new TableEntity("dup", "r1")));

        Assert.Equal(409, error.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists, error.ErrorCode);
    }

    [Fact]
    public async Task GetEntityIfExists_Missing_HasNoValue()
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>("nobody", "nothing");

        Assert.False(response.HasValue);
        Assert.Equal(404, response.GetRawResponse().Status);
    }

    [Fact]
    public async Task GetEntity_Missing_Throws404ResourceNotFound()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.GetEntityAsync<TableEntity>("nobody", "nothing"));

        Assert.Equal(404, error.Status);
        Assert.Equal(TableErrorCode.ResourceNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task UpdateEntity_StaleETag_Throws412AndKeepsNewerValue()
    {
        var entity = new TableEntity("etag", "r1") { ["Value"] = 1 };
        await _table.AddEntityAsync(entity);
        var stale = entity.ETag;
        entity["Value"] = 2;
        await _table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => _table.UpdateEntityAsync(new TableEntity("etag", "r1") { ["Value"] = 3 }, stale, TableUpdateMode.Replace));

        Assert.Equal(412, error.Status);
        Assert.Equal(TableErrorCode.UpdateConditionNotSatisfied, error.ErrorCode);
        Assert.Equal(2, (await _table.GetEntityAsync<TableEntity>("etag", "r1")).Value.GetInt32("Value"));
    }

    [Fact]
    public async Task UpdateEntity_CurrentETag_SucceedsAndSetsNewETag()
    {
        var entity = new TableEntity("etag", "r2") { ["Value"] = 1 };
        await _table.AddEntityAsync(entity);
        var first = entity.ETag;

        entity["Value"] = 2;
        await _table.UpdateEntityAsync(entity, first, TableUpdateMode.Replace);

        Assert.NotEqual(first, entity.ETag);
        var read = (await _table.GetEntityAsync<TableEntity>("etag", "r2")).Value;
        Assert.Equal(entity.ETag, read.ETag);
        Assert.Equal(2, read.GetInt32("Value"));
    }

    [Fact]
    public async Task UpdateEntity_Missing_Throws404()
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => _table.UpdateEntityAsync(new TableEntity("etag", "gone"), ETag.All, TableUpdateMode.Replace));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task UpsertEntity_Replace_DropsPropertiesNotSent()
    {
        await _table.UpsertEntityAsync(new TableEntity("upsert", "r1") { ["A"] = "a", ["B"] = "b" }, TableUpdateMode.Replace);

        await _table.UpsertEntityAsync(new TableEntity("upsert", "r1") { ["A"] = "a2" }, TableUpdateMode.Replace);

        var read = (await _table.GetEntityAsync<TableEntity>("upsert", "r1")).Value;
        Assert.Equal("a2", read.GetString("A"));
        Assert.False(read.ContainsKey("B"));
    }

    [Fact]
    public async Task UpsertEntity_Merge_KeepsPropertiesNotSent()
    {
        await _table.UpsertEntityAsync(new TableEntity("upsert", "r2") { ["A"] = "a", ["B"] = "b" }, TableUpdateMode.Merge);

        await _table.UpsertEntityAsync(new TableEntity("upsert", "r2") { ["A"] = "a2" }, TableUpdateMode.Merge);

        var read = (await _table.GetEntityAsync<TableEntity>("upsert", "r2")).Value;
        Assert.Equal("a2", read.GetString("A"));
        Assert.Equal("b", read.GetString("B"));
    }

    [Fact]
    public async Task DeleteEntity_StaleETag_Throws412AndKeepsEntity()
    {
        var entity = new TableEntity("delete", "r1") { ["V"] = 1 };
        await _table.AddEntityAsync(entity);
        var stale = entity.ETag;
        await _table.UpdateEntityAsync(entity, stale, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => _table.DeleteEntityAsync("delete", "r1", stale));

        Assert.Equal(412, error.Status);
        Assert.True((await _table.GetEntityIfExistsAsync<TableEntity>("delete", "r1")).HasValue);
    }

    [Fact]
    public async Task DeleteEntity_CurrentETag_RemovesIt_AndDeletingAgainIsFine()
    {
        var entity = new TableEntity("delete", "r2");
        await _table.AddEntityAsync(entity);

        await _table.DeleteEntityAsync("delete", "r2", entity.ETag);
        var again = await _table.DeleteEntityAsync("delete", "r2");

        Assert.Equal(404, again.Status);
        Assert.False((await _table.GetEntityIfExistsAsync<TableEntity>("delete", "r2")).HasValue);
    }

    [Fact]
    public async Task Query_SmallPages_ReturnsEveryMatchInKeyOrderAcrossPages()
    {
        for (var i = 0; i < 7; i++)
        {
            await _table.AddEntityAsync(new TableEntity("paged", $"r{i}") { ["N"] = i, ["Other"] = "x" });
        }

        await _table.AddEntityAsync(new TableEntity("pagedNot", "r0") { ["N"] = 0 });

        var pages = new List<Page<TableEntity>>();
        await foreach (var page in _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {"paged"}"), maxPerPage: 3, select: ["RowKey", "N"]).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal(3, pages.Count);
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.NotNull(pages[1].ContinuationToken);
        Assert.Null(pages[2].ContinuationToken);
        var all = pages.SelectMany(p => p.Values).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"r{i}"), all.Select(e => e.RowKey));
        Assert.Equal(Enumerable.Range(0, 7), all.Select(e => e.GetInt32("N")!.Value));
        Assert.All(all, e => Assert.False(e.ContainsKey("Other")));
        Assert.All(all, e => Assert.NotEqual(default, e.ETag));
    }

    [Fact]
    public async Task Query_ResumedFromContinuationToken_ContinuesWhereItStopped()
    {
        for (var i = 0; i < 5; i++)
        {
            await _table.AddEntityAsync(new TableEntity("resume", $"r{i}"));
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"resume"}");
        string? token = null;
        await foreach (var page in _table.QueryAsync<TableEntity>(filter, maxPerPage: 2).AsPages())
        {
            token = page.ContinuationToken;
            break;
        }

        var rest = new List<string>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 2).AsPages(token).SelectMany(p => p.Values.ToAsyncEnumerable()))
        {
            rest.Add(entity.RowKey);
        }

        Assert.Equal(["r2", "r3", "r4"], rest);
    }

    [Fact]
    public async Task Query_LargeInt64AndDateTime_ReadBackExactly()
    {
        var when = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(7);
        await _table.AddEntityAsync(new TableEntity("typedquery", "r1") { ["Big"] = long.MaxValue - 1, ["When"] = when });

        var found = await _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {"typedquery"} and Big gt {9_007_199_254_740_992L} and When eq {when}")).ToListAsync();

        var entity = Assert.Single(found);
        Assert.Equal(long.MaxValue - 1, entity.GetInt64("Big"));
        Assert.Equal(when, entity.GetDateTimeOffset("When"));
    }

    [Fact]
    public async Task CreateQueryFilter_ValueTryingToEscapeItsQuotes_MatchesNothing()
    {
        await _table.AddEntityAsync(new TableEntity("inject", "r1"));
        var hostile = "nobody' or PartitionKey eq 'inject";

        var found = await _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {hostile}")).ToListAsync();

        Assert.Empty(found);
    }

    [Theory]
    [InlineData("O'Brien", "it's")]
    [InlineData("''", "'")]
    [InlineData("space and % and + and ( ) and ü and 日本", "a&b=c;d,e:f@g$h!*")]
    public async Task Keys_WithQuotesAndSpecialCharacters_WorkForEveryOperation(string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey) { ["V"] = 1 };

        await _table.AddEntityAsync(entity);
        var read = (await _table.GetEntityAsync<TableEntity>(partitionKey, rowKey)).Value;
        entity["V"] = 2;
        await _table.UpdateEntityAsync(entity, read.ETag, TableUpdateMode.Merge);
        var queried = await _table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey eq {rowKey}")).ToListAsync();
        await _table.DeleteEntityAsync(partitionKey, rowKey, entity.ETag);

        Assert.Equal(partitionKey, read.PartitionKey);
        Assert.Equal(rowKey, read.RowKey);
        Assert.Equal(2, Assert.Single(queried).GetInt32("V"));
        Assert.False((await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey)).HasValue);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\tb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    public async Task Keys_WithForbiddenCharacters_AreRejectedBeforeSending(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _table.AddEntityAsync(new TableEntity(key, "r")));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.AddEntityAsync(new TableEntity("p", key)));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.GetEntityIfExistsAsync<TableEntity>(key, "r"));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.DeleteEntityAsync("p", key));
    }

    [Fact]
    public async Task SubmitTransaction_MixedOperations_AppliesAllAndReturnsETags()
    {
        var existing = new TableEntity("batch", "update") { ["V"] = 1 };
        var toDelete = new TableEntity("batch", "delete");
        await _table.AddEntityAsync(existing);
        await _table.AddEntityAsync(toDelete);
        var added = new TableEntity("batch", "add") { ["Big"] = 9_007_199_254_740_993L, ["Text"] = "line1\nline2 'q'" };
        var upserted = new TableEntity("batch", "upsert") { ["V"] = 3 };
        var replaced = new TableEntity("batch", "update") { ["V"] = 2 };

        var response = await _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, added),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, replaced, existing.ETag),
            new TableTransactionAction(TableTransactionActionType.UpsertMerge, upserted),
            new TableTransactionAction(TableTransactionActionType.Delete, toDelete, toDelete.ETag),
        ]);

        Assert.Equal(4, response.Value.Count);
        Assert.All(response.Value, r => Assert.Equal(204, r.Status));
        var rows = await _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"batch"}")).ToListAsync();
        Assert.Equal(["add", "update", "upsert"], rows.Select(r => r.RowKey));
        Assert.Equal(9_007_199_254_740_993L, rows[0].GetInt64("Big"));
        Assert.Equal("line1\nline2 'q'", rows[0].GetString("Text"));
        Assert.Equal(2, rows[1].GetInt32("V"));
        Assert.Equal(rows[1].ETag, replaced.ETag);
        Assert.Equal(rows[0].ETag, added.ETag);
    }

    [Fact]
    public async Task SubmitTransaction_OneOperationFails_NothingIsAppliedAndFailureNamesIt()
    {
        await _table.AddEntityAsync(new TableEntity("batchfail", "taken"));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("batchfail", "new1")),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("batchfail", "new2")),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("batchfail", "taken")),
        ]));

        Assert.Equal(409, error.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists, error.ErrorCode);
        Assert.Equal(2, error.FailedTransactionActionIndex);
        var rows = await _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"batchfail"}")).ToListAsync();
        Assert.Equal(["taken"], rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task SubmitTransaction_StaleETag_Fails412WithIndex()
    {
        var entity = new TableEntity("batchetag", "r1");
        await _table.AddEntityAsync(entity);
        var stale = entity.ETag;
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("batchetag", "r0")),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity("batchetag", "r1"), stale),
        ]));

        Assert.Equal(412, error.Status);
        Assert.Equal(1, error.FailedTransactionActionIndex);
        Assert.False((await _table.GetEntityIfExistsAsync<TableEntity>("batchetag", "r0")).HasValue);
    }

    [Fact]
    public async Task SubmitTransaction_TwoPartitionsOrTooMany_IsRejectedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p1", "r")),
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p2", "r")),
        ]));
        await Assert.ThrowsAsync<ArgumentException>(() => _table.SubmitTransactionAsync(
            Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"r{i}")))));
    }

    [Fact]
    public async Task SubmitTransaction_HundredOperations_AllApplied()
    {
        await _table.SubmitTransactionAsync(
            Enumerable.Range(0, 100).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("hundred", $"r{i:D3}") { ["I"] = i })));

        var rows = await _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"hundred"}")).ToListAsync();

        Assert.Equal(100, rows.Count);
    }

    [Fact]
    public async Task Query_TableMissing_Throws404TableNotFound()
    {
        var missing = azurite.CreateServiceClient().GetTableClient(AzuriteFixture.UniqueTableName("missing"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => missing.QueryAsync<TableEntity>().ToListAsync().AsTask());

        Assert.Equal(404, error.Status);
        Assert.Equal(TableErrorCode.TableNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task SharedKeyLite_WrongAccountKey_Throws403()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var client = new TableClient(
            azurite.Endpoint, _table.Name, new TableSharedKeyCredential(TableConnectionString.DevelopmentAccountName, wrongKey),
            AzuriteFixture.FastRetryOptions());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetEntityIfExistsAsync<TableEntity>("p", "r"));

        Assert.Equal(403, error.Status);
        Assert.Equal(TableErrorCode.AuthorizationFailure, error.ErrorCode);
    }

    [Fact]
    public void TableName_Invalid_IsRejected()
    {
        var service = azurite.CreateServiceClient();

        Assert.Throws<ArgumentException>(() => service.GetTableClient("1abc"));
        Assert.Throws<ArgumentException>(() => service.GetTableClient("ab"));
        Assert.Throws<ArgumentException>(() => service.GetTableClient("has-dash"));
        Assert.Throws<ArgumentException>(() => service.GetTableClient("tables"));
    }
}
