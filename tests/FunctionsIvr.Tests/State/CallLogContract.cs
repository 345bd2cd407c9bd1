using FunctionsIvr.State;

namespace FunctionsIvr.Tests.State;

/// <summary>
/// What every <see cref="ICallLog"/> promises. Subclass it once per implementation (in memory, Table Storage
/// over Azurite). Call ids are unique per test, so the suite can run against a shared table.
/// </summary>
public abstract class CallLogContract
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A log ready for use (table created, if there is one).</summary>
    protected abstract Task<ICallLog> CreateLogAsync();

    protected static string NewCallId() => "call-" + Guid.NewGuid().ToString("N");

    protected static CallLogEntry Entry(string callId, int sequence, string step = "menu") => new()
    {
        CallId = callId,
        Sequence = sequence,
        Time = T0.AddSeconds(sequence),
        Step = step,
        EventName = "Connected",
        EventData = "",
        ActionType = "GetDTMF",
        Action = "GetDTMF prompt=main_menu digits=1",
        NextStep = "menu",
        DurationMs = 12.5,
        ErpCalls = "GET /contacts 38 ms",
        Note = null,
    };

    [Fact]
    public async Task ReadAsync_OpaqueCallIds_EachReadsItsOwnLinesUnderItsOwnId()
    {
        // UniqueCallId is opaque: a '/' or '#' (forbidden in Table Storage keys) or an id too long for a key still logs.
        var log = await CreateLogAsync();
        var unique = Guid.NewGuid().ToString("N");
        string[] callIds = ["node-1/" + unique, "node-1%2F" + unique, "q#" + unique + "?\\", unique + new string('/', 700)];
        for (var i = 0; i < callIds.Length; i++) await log.AppendAsync(Entry(callIds[i], 1, step: "step-" + i));

        for (var i = 0; i < callIds.Length; i++)
        {
            var line = Assert.Single(await log.ReadAsync(callIds[i]));
            Assert.Equal(callIds[i], line.CallId);
            Assert.Equal("step-" + i, line.Step);
        }
    }

    [Fact]
    public async Task ReadAsync_UnknownCall_ReturnsEmpty()
    {
        var log = await CreateLogAsync();

        Assert.Empty(await log.ReadAsync(NewCallId()));
    }

    [Fact]
    public async Task AppendAsync_OneEntry_IsReadBackWithEveryField()
    {
        var log = await CreateLogAsync();
        var entry = Entry(NewCallId(), 1) with { Note = "ERP slow: holding prompt", EventData = "##" };

        await log.AppendAsync(entry);

        Assert.Equal([entry], await log.ReadAsync(entry.CallId));
    }

    [Fact]
    public async Task AppendAsync_EntriesOutOfOrder_ReadInSequenceOrder()
    {
        var log = await CreateLogAsync();
        var callId = NewCallId();

        foreach (var sequence in new[] { 3, 1, 10, 2 }) await log.AppendAsync(Entry(callId, sequence));

        Assert.Equal([1, 2, 3, 10], (await log.ReadAsync(callId)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task AppendAsync_SameSequenceTwice_ReplacesTheEntry()
    {
        var log = await CreateLogAsync();
        var callId = NewCallId();
        await log.AppendAsync(Entry(callId, 1, step: "welcome"));
        await log.AppendAsync(Entry(callId, 2, step: "menu"));

        await log.AppendAsync(Entry(callId, 2, step: "menu-repeated"));

        var entries = await log.ReadAsync(callId);
        Assert.Equal(["welcome", "menu-repeated"], entries.Select(e => e.Step));
    }

    [Fact]
    public async Task AppendAsync_TwoCalls_KeepSeparateLogs()
    {
        var log = await CreateLogAsync();
        var a = NewCallId();
        var b = NewCallId();

        await log.AppendAsync(Entry(a, 1, step: "a1"));
        await log.AppendAsync(Entry(b, 1, step: "b1"));
        await log.AppendAsync(Entry(a, 2, step: "a2"));

        Assert.Equal(["a1", "a2"], (await log.ReadAsync(a)).Select(e => e.Step));
        Assert.Equal(["b1"], (await log.ReadAsync(b)).Select(e => e.Step));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentCallbacks_AllEntriesKept()
    {
        var log = await CreateLogAsync();
        var callId = NewCallId();

        await Task.WhenAll(Enumerable.Range(1, 20).Select(sequence => log.AppendAsync(Entry(callId, sequence))));

        Assert.Equal(Enumerable.Range(1, 20), (await log.ReadAsync(callId)).Select(e => e.Sequence));
    }
}
