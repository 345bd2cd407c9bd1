using FunctionsIvr.Tests.Fakes;
using Azure;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableCallStateStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _tableName = AzuriteFixture.UniqueTableName("callstate");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

    [Fact]
    public async Task Get_UnknownCall_ReturnsNull_AndCreatesTheTableOnFirstUse()
    {
        var store = CreateStore();

        Assert.Null(await store.GetAsync("unknown-call"));
    }

    [Fact]
    public async Task Save_NewState_ThenGet_ReturnsValuesETagAndSaveTime()
    {
        var store = CreateStore();
        var state = new CallState("call-1") { Values = { ["contactId"] = "C-17", ["quote"] = "it's \"fine\"" } };

        var etag = await store.SaveAsync(state);
        var read = await store.GetAsync("call-1");

        Assert.NotNull(read);
        Assert.Equal(state.Values, read.Values);
        Assert.Equal(etag, read.ETag);
        Assert.Equal(etag, state.ETag);
        Assert.Equal(_clock.GetUtcNow(), read.UpdatedAt);
        Assert.Equal(_clock.GetUtcNow(), state.UpdatedAt);
    }

    [Fact]
    public async Task Save_NewStateWhenOneExists_Throws409()
    {
        var store = CreateStore();
        await store.SaveAsync(new CallState("call-2"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.SaveAsync(new CallState("call-2")));

        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task Save_WithETagOfTheReadVersion_ReplacesAndReturnsNewETag()
    {
        var store = CreateStore();
        await store.SaveAsync(new CallState("call-3") { Values = { ["a"] = "1", ["b"] = "2" } });
        var read = (await store.GetAsync("call-3"))!;
        var before = read.ETag;
        read.Values.Remove("b");
        read.Values["a"] = "changed";
        _clock.Advance(TimeSpan.FromSeconds(5));

        var after = await store.SaveAsync(read);

        Assert.NotEqual(before, after);
        var again = (await store.GetAsync("call-3"))!;
        Assert.Equal(new Dictionary<string, string> { ["a"] = "changed" }, again.Values);
        Assert.Equal(after, again.ETag);
        Assert.Equal(_clock.GetUtcNow(), again.UpdatedAt);
    }

    [Fact]
    public async Task Save_WithStaleETag_Throws412AndKeepsTheOtherWrite()
    {
        var store = CreateStore();
        await store.SaveAsync(new CallState("call-4"));
        var first = (await store.GetAsync("call-4"))!;
        var second = (await store.GetAsync("call-4"))!;
        first.Values["winner"] = "first";
        await store.SaveAsync(first);

        second.Values["winner"] = "second";
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.SaveAsync(second));

        Assert.Equal(412, error.Status);
        Assert.Equal("first", (await store.GetAsync("call-4"))!.Values["winner"]);
    }

    [Fact]
    public async Task Save_StateLargerThanOneProperty_RoundTripsAndShrinksCleanly()
    {
        var store = CreateStore();
        var big = new CallState("call-5") { Values = { ["lookup"] = string.Concat(Enumerable.Repeat("0123456789😀", 7_000)) } };
        await store.SaveAsync(big);
        var read = (await store.GetAsync("call-5"))!;
        Assert.Equal(big.Values["lookup"], read.Values["lookup"]);

        read.Values["lookup"] = "small";
        await store.SaveAsync(read);

        Assert.Equal("small", (await store.GetAsync("call-5"))!.Values["lookup"]);
    }

    [Fact]
    public async Task Stores_SharingOneTable_CreateItOnceEach_AndSeeEachOthersWrites()
    {
        var writer = CreateStore();
        var reader = CreateStore();

        await writer.SaveAsync(new CallState("call-6") { Values = { ["k"] = "v" } });

        Assert.Equal("v", (await reader.GetAsync("call-6"))!.Values["k"]);
    }

    [Fact]
    public async Task Save_TableDeletedWhileTheAppRuns_IsCreatedAgainAndTheCallIsSaved()
    {
        var store = CreateStore();
        await store.SaveAsync(new CallState("call-before") { Values = { ["k"] = "v" } });
        await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

        await store.SaveAsync(new CallState("call-after") { Values = { ["k"] = "again" } });

        Assert.Equal("again", (await store.GetAsync("call-after"))!.Values["k"]);
        Assert.Null(await store.GetAsync("call-before"));
    }

    private TableCallStateStore CreateStore() =>
        new(azurite.CreateServiceClient(), _clock, NullLogger<TableCallStateStore>.Instance, _tableName);
}
