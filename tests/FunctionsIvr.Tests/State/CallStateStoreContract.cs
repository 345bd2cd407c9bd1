using Azure;
using FunctionsIvr.State;

namespace FunctionsIvr.Tests.State;

/// <summary>
/// What every <see cref="ICallStateStore"/> promises, whatever keeps the rows. Subclass it once per
/// implementation (in memory, Table Storage over Azurite). Call ids are unique per test, so the suite can run
/// against a shared table.
/// </summary>
public abstract class CallStateStoreContract
{
    /// <summary>A store ready for use (table created, if there is one).</summary>
    protected abstract Task<ICallStateStore> CreateStoreAsync();

    protected static string NewCallId() => "call-" + Guid.NewGuid().ToString("N");

    protected static CallState NewState(string callId, params (string Key, string Value)[] values)
    {
        var state = new CallState(callId);
        foreach (var (key, value) in values) state.Values[key] = value;
        return state;
    }

    [Fact]
    public async Task GetAsync_UnknownCall_ReturnsNull()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetAsync(NewCallId()));
    }

    [Fact]
    public async Task SaveAsync_NewState_IsReadBackWithItsValuesAndETag()
    {
        var store = await CreateStoreAsync();
        var callId = NewCallId();
        var state = NewState(callId, ("contact", "C-1001"), ("menu", "2"));

        var etag = await store.SaveAsync(state);

        Assert.NotEqual(default, etag);
        Assert.Equal(etag, state.ETag);
        var read = await store.GetAsync(callId);
        Assert.NotNull(read);
        Assert.Equal(callId, read.CallId);
        Assert.Equal(etag, read.ETag);
        Assert.Equal(state.Values.OrderBy(kv => kv.Key), read.Values.OrderBy(kv => kv.Key));
    }

    /// <summary>
    /// UniqueCallId is opaque: ids holding what Table Storage keys forbid, their escaped look-alikes and ids too long
    /// for a key each keep their own state.
    /// </summary>
    private static readonly string[] OpaqueCallIds =
        ["node-1/{0}", "node-1%2F{0}", "q#{0}?x\\y", "tab\t{0}\u0085", "{0}~" + new string('/', 600), "{0}~" + new string('/', 599) + "#"];

    public static TheoryData<string> OpaqueCallIdShapes() => new(OpaqueCallIds);

    [Theory]
    [MemberData(nameof(OpaqueCallIdShapes))]
    public async Task SaveAsync_OpaqueCallId_IsReadBackUnderThatIdOnly(string shape)
    {
        var store = await CreateStoreAsync();
        var unique = Guid.NewGuid().ToString("N");
        var callId = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, unique);
        var others = OpaqueCallIds.Select(other => string.Format(System.Globalization.CultureInfo.InvariantCulture, other, unique))
            .Where(id => id != callId).ToList();
        foreach (var other in others) await store.SaveAsync(NewState(other, ("menu", "other")));

        await store.SaveAsync(NewState(callId, ("menu", "2")));
        var read = await store.GetAsync(callId);

        Assert.NotNull(read);
        Assert.Equal(callId, read.CallId);
        Assert.Equal("2", read.Values["menu"]);
        foreach (var other in others) Assert.Equal("other", (await store.GetAsync(other))!.Values["menu"]);
    }

    [Fact]
    public async Task SaveAsync_ValuesWithUnusualText_RoundTripExactly()
    {
        var store = await CreateStoreAsync();
        var callId = NewCallId();
        var state = NewState(callId,
            ("empty", ""),
            ("json", "{\"lines\":[{\"sku\":\"A-1\",\"qty\":2}],\"note\":\"it's \\\"fine\\\"\"}"),
            ("unicode", "Zoë – €12,50 – 電話"),
            ("spaces", "  leading and trailing  "));

        await store.SaveAsync(state);

        var read = await store.GetAsync(callId);
        Assert.NotNull(read);
        Assert.Equal(state.Values.OrderBy(kv => kv.Key), read.Values.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task SaveAsync_AfterSave_ReadReturnsTheUpdatedAtTheSaveSet()
    {
        var store = await CreateStoreAsync();
        var state = NewState(NewCallId(), ("k", "v"));

        await store.SaveAsync(state);

        var read = await store.GetAsync(state.CallId);
        Assert.NotNull(read);
        Assert.NotEqual(default, read.UpdatedAt);
        Assert.Equal(state.UpdatedAt, read.UpdatedAt);
    }

    [Fact]
    public async Task SaveAsync_NewStateForExistingCall_Throws409EntityAlreadyExists()
    {
        var store = await CreateStoreAsync();
        var callId = NewCallId();
        await store.SaveAsync(NewState(callId, ("first", "1")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.SaveAsync(NewState(callId, ("second", "2"))));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        var read = await store.GetAsync(callId);
        Assert.Equal("1", read!.Values["first"]);
        Assert.False(read.Values.ContainsKey("second"));
    }

    [Fact]
    public async Task SaveAsync_WithCurrentETag_ReplacesValuesAndChangesETag()
    {
        var store = await CreateStoreAsync();
        var callId = NewCallId();
        var first = await store.SaveAsync(NewState(callId, ("keep", "a"), ("drop", "b")));
        var read = await store.GetAsync(callId);
        read!.Values.Remove("drop");
        read.Values["keep"] = "changed";
        read.Values["added"] = "c";

        var second = await store.SaveAsync(read);

        Assert.NotEqual(first, second);
        Assert.Equal(second, read.ETag);
        var reread = await store.GetAsync(callId);
        Assert.Equal(second, reread!.ETag);
        Assert.Equal(new Dictionary<string, string> { ["keep"] = "changed", ["added"] = "c" }.OrderBy(kv => kv.Key),
            reread.Values.OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task SaveAsync_WithStaleETag_Throws412AndKeepsTheOtherWrite()
    {
        var store = await CreateStoreAsync();
        var callId = NewCallId();
        await store.SaveAsync(NewState(callId, ("step", "menu")));
        var mine = await store.GetAsync(callId);
        var theirs = await store.GetAsync(callId);
        theirs!.Values["step"] = "transfer";
        await store.SaveAsync(theirs);
        mine!.Values["step"] = "goodbye";

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.SaveAsync(mine));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        var read = await store.GetAsync(callId);
        Assert.Equal("transfer", read!.Values["step"]);
        Assert.Equal(theirs.ETag, read.ETag);
    }

    [Fact]
    public async Task SaveAsync_WithETagForCallNeverSaved_Throws404ResourceNotFound()
    {
        var store = await CreateStoreAsync();
        var saved = NewState(NewCallId(), ("k", "v"));
        await store.SaveAsync(saved);
        var missing = NewState(NewCallId(), ("k", "v"));
        missing.ETag = saved.ETag;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => store.SaveAsync(missing));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Null(await store.GetAsync(missing.CallId));
    }

    [Fact]
    public async Task SaveAsync_ConcurrentWritersWithTheSameETag_ExactlyOneWins()
    {
        var store = await CreateStoreAsync();
        var callId = NewCallId();
        await store.SaveAsync(NewState(callId, ("writer", "none")));
        var copies = new List<CallState>();
        for (var i = 0; i < 8; i++)
        {
            var copy = await store.GetAsync(callId);
            copy!.Values["writer"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            copies.Add(copy);
        }

        var outcomes = await Task.WhenAll(copies.Select(async copy =>
        {
            try
            {
                await store.SaveAsync(copy);
                return 0;
            }
            catch (RequestFailedException e)
            {
                return e.Status;
            }
        }));

        Assert.Single(outcomes, status => status == 0);
        Assert.All(outcomes.Where(status => status != 0), status => Assert.Equal(412, status));
        var winner = copies[Array.IndexOf(outcomes, 0)];
        var read = await store.GetAsync(callId);
        Assert.Equal(winner.Values["writer"], read!.Values["writer"]);
    }

    [Fact]
    public async Task SaveAsync_CallerChangesItsObjectAfterSaving_StoredStateUnchanged()
    {
        var store = await CreateStoreAsync();
        var state = NewState(NewCallId(), ("order", "SO-1"));
        await store.SaveAsync(state);

        state.Values["order"] = "tampered";
        state.Values["extra"] = "x";

        var read = await store.GetAsync(state.CallId);
        Assert.Equal("SO-1", read!.Values["order"]);
        Assert.False(read.Values.ContainsKey("extra"));
    }

    [Fact]
    public async Task GetAsync_CallerChangesTheStateItRead_StoredStateUnchanged()
    {
        var store = await CreateStoreAsync();
        var state = NewState(NewCallId(), ("order", "SO-1"));
        await store.SaveAsync(state);

        var first = await store.GetAsync(state.CallId);
        first!.Values["order"] = "tampered";

        var second = await store.GetAsync(state.CallId);
        Assert.Equal("SO-1", second!.Values["order"]);
    }

    [Fact]
    public async Task SaveAsync_TwoCalls_KeepSeparateStates()
    {
        var store = await CreateStoreAsync();
        var a = NewState(NewCallId(), ("who", "a"));
        var b = NewState(NewCallId(), ("who", "b"));

        await store.SaveAsync(a);
        await store.SaveAsync(b);

        Assert.Equal("a", (await store.GetAsync(a.CallId))!.Values["who"]);
        Assert.Equal("b", (await store.GetAsync(b.CallId))!.Values["who"]);
    }
}
