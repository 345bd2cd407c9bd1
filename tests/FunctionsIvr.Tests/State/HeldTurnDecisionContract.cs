using FunctionsIvr.Calls;
using FunctionsIvr.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State;

/// <summary>
/// A held turn's one decision (<see cref="HeldTurns"/>) over a real <see cref="ICallStateStore"/>: the insert only when
/// absent (409 otherwise) must hold in every store, or both sides could win. Subclassed once per store.
/// </summary>
public abstract class HeldTurnDecisionContract
{
    private static readonly TurnOutcome Accepted = new("repeat_accepted", new Dictionary<string, string> { ["ao"] = "1400", ["note"] = "zażółć \"x\"" });

    protected abstract Task<ICallStateStore> CreateStoreAsync();

    // Characters a table key may not hold as they are: the row key of the decision must still work.
    private static string NewCallId() => "call/" + Guid.NewGuid().ToString("N") + "#?";

    [Fact]
    public async Task WorkFirst_StandsAndGivingUpLaterReadsItsOutcome()
    {
        var turns = new HeldTurns(await CreateStoreAsync(), TimeProvider.System, NullLogger.Instance);
        var callId = NewCallId();

        var stands = await turns.LetStandAsync(callId, 7, Accepted);
        var givenUp = await turns.GiveUpAsync(callId, 7, TimeSpan.FromSeconds(10));

        Assert.True(stands);
        Assert.True(givenUp.Recorded);
        Assert.NotNull(givenUp.Standing);
        Assert.Equal(Accepted.Step, givenUp.Standing.Step);
        Assert.Equal(Accepted.Values, givenUp.Standing.Values);
        Assert.False(await turns.WasAbandonedAsync(callId, 7));
    }

    [Fact]
    public async Task GivingUpFirst_TheWorkDoesNotStand()
    {
        var turns = new HeldTurns(await CreateStoreAsync(), TimeProvider.System, NullLogger.Instance);
        var callId = NewCallId();

        var givenUp = await turns.GiveUpAsync(callId, 7, TimeSpan.FromSeconds(10));
        var stands = await turns.LetStandAsync(callId, 7, Accepted);

        Assert.True(givenUp.Recorded);
        Assert.Null(givenUp.Standing);
        Assert.False(stands);
        Assert.True(await turns.WasAbandonedAsync(callId, 7));
        Assert.False(await turns.WasAbandonedAsync(callId, 8));
    }

    [Fact]
    public async Task BothSidesAtOnce_OneDecisionThatBothFollow()
    {
        var store = await CreateStoreAsync();
        for (var round = 0; round < 5; round++)
        {
            var callId = NewCallId();
            var sides = Enumerable.Range(0, 6).Select(i => new HeldTurns(store, TimeProvider.System, NullLogger.Instance)).ToList();
            using var start = new ManualResetEventSlim();
            var works = sides.Take(3).Select(t => Task.Run(async () => { start.Wait(); return await t.LetStandAsync(callId, 3, Accepted); })).ToList();
            var givingUp = sides.Skip(3).Select(t => Task.Run(async () => { start.Wait(); return await t.GiveUpAsync(callId, 3, TimeSpan.FromSeconds(10)); })).ToList();
            start.Set();

            var stood = await Task.WhenAll(works);
            var gaveUp = await Task.WhenAll(givingUp);

            Assert.All(gaveUp, g => Assert.True(g.Recorded));
            Assert.Single(stood.Distinct());
            Assert.All(gaveUp, g => Assert.Equal(stood[0], g.Standing is not null));
        }
    }
}
