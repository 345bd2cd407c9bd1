using FunctionsIvr.Agents;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.State;

public sealed class InMemoryStatePurgeTests : StatePurgeContract
{
    protected override Task<Stores> CreateAsync()
    {
        // Call state outlives the purge here, so the purge's own rules are what is tested, not the store's time to live.
        var callState = new InMemoryCallStateStore(Time, Options.Create(new InMemoryStateOptions { CallStateTimeToLive = TimeSpan.FromDays(365) }));
        var callLog = new InMemoryCallLog();
        var outbox = new InMemoryOutboxStore();
        var agentCards = new InMemoryAgentCardStore(Time);
        return Task.FromResult(new Stores(callState, callLog, outbox, agentCards, new InMemoryStatePurge(callState, callLog, outbox, agentCards)));
    }

    [Fact]
    public async Task CallLog_CallPurgedThenLoggedAgain_IsNotEvictedByItsOldPlace()
    {
        var log = new InMemoryCallLog(maxCalls: 2);
        var purge = new InMemoryStatePurge(
            new InMemoryCallStateStore(Time, Options.Create(new InMemoryStateOptions())), log, new InMemoryOutboxStore());
        await log.AppendAsync(Line("call-a", 1));
        Time.Advance(31 * Day);
        await purge.PurgeAsync(new RetentionCutoffs(Time.GetUtcNow() - Day, Time.GetUtcNow() - 30 * Day));

        await log.AppendAsync(Line("call-b", 1));
        await log.AppendAsync(Line("call-a", 2));
        await log.AppendAsync(Line("call-c", 1));

        Assert.Empty(await log.ReadAsync("call-b"));
        Assert.Single(await log.ReadAsync("call-a"));
        Assert.Single(await log.ReadAsync("call-c"));
    }
}
