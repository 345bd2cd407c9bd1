using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;

namespace FunctionsIvr.Tests.State;

public sealed class InMemoryCallLogTests : CallLogContract
{
    protected override Task<ICallLog> CreateLogAsync() => Task.FromResult<ICallLog>(new InMemoryCallLog());

    [Fact]
    public async Task MoreCallsThanKept_OldestCallForgotten_RecentCallsWhole()
    {
        var log = new InMemoryCallLog(maxCalls: 2);
        foreach (var callId in new[] { "call-1", "call-2", "call-3" })
        {
            await log.AppendAsync(Line(callId, 0));
            await log.AppendAsync(Line(callId, 1));
        }

        // A later line of a kept call does not make room by dropping one of its own.
        await log.AppendAsync(Line("call-2", 2));

        Assert.Empty(await log.ReadAsync("call-1"));
        Assert.Equal([0, 1, 2], (await log.ReadAsync("call-2")).Select(e => e.Sequence));
        Assert.Equal([0, 1], (await log.ReadAsync("call-3")).Select(e => e.Sequence));
    }

    [Fact]
    public async Task LineRepeatedBetweenOthers_ReplacedInItsPlace()
    {
        var log = new InMemoryCallLog();
        foreach (var sequence in new[] { 1, 4, 2, 3 }) await log.AppendAsync(Line("call-1", sequence));

        await log.AppendAsync(Line("call-1", 2) with { Step = "again" });

        var lines = await log.ReadAsync("call-1");
        Assert.Equal([1, 2, 3, 4], lines.Select(e => e.Sequence));
        Assert.Equal("again", lines[1].Step);
        Assert.All(lines, line => Assert.Equal("call-1", line.CallId));
    }

    private static CallLogEntry Line(string callId, int sequence) => new()
    {
        CallId = callId,
        Sequence = sequence,
        Time = DateTimeOffset.UnixEpoch.AddSeconds(sequence),
        Step = "menu",
        EventName = "GetDTMF",
        EventData = "",
        ActionType = "Play",
        Action = "Play Prompt=2",
        NextStep = "menu",
    };
}
