using Azure;
using FunctionsIvr.Calls;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.Calls;

/// <summary>
/// The one decision per held turn: the work letting its outcome stand (<see cref="CallContext.LetTurnStandAsync"/>) or
/// an instance giving up on the turn (<see cref="HeldTurns.GiveUpAsync"/>), whichever comes first; and
/// <see cref="CallContext.IsTurnAbandonedAsync"/>, which only asks.
/// </summary>
public class HeldTurnDecisionTests
{
    private static readonly TurnOutcome Accepted = new("accepted", new Dictionary<string, string> { ["ao"] = "1400" });

    private readonly Mock<ICallStateStore> store = new(MockBehavior.Strict);
    private readonly CapturingLoggerProvider logs = new();
    private readonly InMemoryCallStateStore shared = new(TimeProvider.System, Options.Create(new InMemoryStateOptions()));

    [Fact]
    public async Task HeldWork_GivenUpOnHereWhileTheCallStateIsRead_CountsAsAbandoned()
    {
        // The read is slow (storage struggling, which is when holds pile up) and this instance gives up meanwhile.
        var read = new TaskCompletionSource<CallState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Setup(s => s.GetAsync(HeldTurns.Key("call-1", 4), It.IsAny<CancellationToken>())).Returns(read.Task);
        using var turn = HeldTurn();
        var context = Context(turn, store.Object);

        var check = context.IsTurnAbandonedAsync();
        turn.MarkAbandoned();
        read.SetResult(null);

        Assert.True(await check);
    }

    [Fact]
    public async Task HeldWork_GivenUpOnAnotherInstance_CountsAsAbandoned()
    {
        using var turn = HeldTurn();
        Assert.True((await Turns(shared).GiveUpAsync("call-1", 4, TimeSpan.FromSeconds(5))).Recorded);

        Assert.True(await Context(turn, shared).IsTurnAbandonedAsync());
    }

    [Fact]
    public async Task CutWorkLeavesAnUndo_RacingTheGiveUp_ItRunsExactlyOnce()
    {
        // The work's side (leave the undo, or run it when the turn was given up already) against the engine's (give the
        // turn up, run what was left).
        for (var i = 0; i < 2000; i++)
        {
            var undos = new TurnUndos(TimeProvider.System);
            var runs = 0;
            Func<Task> undo = () =>
            {
                Interlocked.Increment(ref runs);
                return Task.CompletedTask;
            };
            using var start = new Barrier(2);
            var work = Task.Run(() =>
            {
                start.SignalAndWait();
                if (!undos.TryLeave("call-1", 4, undo)) undo();
            });
            var engine = Task.Run(() =>
            {
                start.SignalAndWait();
                foreach (var left in undos.GiveUp("call-1", 4)) left();
            });
            await Task.WhenAll(work, engine);

            Assert.Equal(1, runs);
        }
    }

    [Fact]
    public void CutWorkLeavesAnUndo_KeptPerCallAndTurn_GivenUpOnceThenLeftToTheWork()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var undos = new TurnUndos(time);
        Func<Task> undo = () => Task.CompletedTask;

        Assert.False(undos.Has("call-1", 4));
        Assert.True(undos.TryLeave("call-1", 4, undo));
        Assert.True(undos.Has("call-1", 4));
        Assert.False(undos.Has("call-1", 5));
        Assert.False(undos.Has("call-2", 4));
        Assert.Empty(undos.GiveUp("call-1", 5));

        Assert.Same(undo, Assert.Single(undos.GiveUp("call-1", 4)));
        Assert.Empty(undos.GiveUp("call-1", 4));
        Assert.False(undos.Has("call-1", 4));
        Assert.False(undos.TryLeave("call-1", 4, undo), "the turn was given up on: the work runs its undo itself");

        // Forgotten after a while; a turn whose undo nobody took does not keep every callback asking.
        Assert.True(undos.TryLeave("call-3", 1, undo));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(undos.TryLeave("call-4", 1, undo));
        Assert.False(undos.Has("call-3", 1));
        Assert.Single(undos.GiveUp("call-4", 1));
    }

    [Fact]
    public async Task WorkNeverHeld_NotAbandonedWithoutReadingTheCallState()
    {
        using var turn = new TurnCancellation { Sequence = 4, Turn = 4 };

        Assert.False(await Context(turn, store.Object).IsTurnAbandonedAsync());
        Assert.True(await Context(turn, store.Object).LetTurnStandAsync("accepted"));
        store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task HeldWork_LetsItsOutcomeStandFirst_AnInstanceGivingUpLaterGetsTheOutcomeInsteadOfTheApology()
    {
        using var turn = HeldTurn();

        var stands = await Context(turn, shared).LetTurnStandAsync(Accepted.Step, Accepted.Values);
        var givenUp = await Turns(shared).GiveUpAsync("call-1", 4, TimeSpan.FromSeconds(5));

        Assert.True(stands);
        Assert.True(givenUp.Recorded);
        Assert.NotNull(givenUp.Standing);
        Assert.Equal("accepted", givenUp.Standing.Step);
        Assert.Equal(Accepted.Values, givenUp.Standing.Values);
        Assert.Contains(logs.Lines, l => l.EventId.Id == 2012);
        Assert.False(await Context(turn, shared).IsTurnAbandonedAsync());
    }

    [Fact]
    public async Task HeldWork_GivenUpOnElsewhereFirst_DoesNotStand()
    {
        using var turn = HeldTurn();

        var givenUp = await Turns(shared).GiveUpAsync("call-1", 4, TimeSpan.FromSeconds(5));
        var stands = await Context(turn, shared).LetTurnStandAsync(Accepted.Step, Accepted.Values);

        Assert.True(givenUp.Recorded);
        Assert.Null(givenUp.Standing);
        Assert.False(stands);
        Assert.Contains(logs.Lines, l => l.EventId.Id == 2009);
    }

    [Fact]
    public async Task HeldWork_AnotherWorkOfTheSameTurnStoodFirst_StandsToo()
    {
        // A replay of the turn on another instance placed the same basket (the same ERP transaction) and let it stand.
        using var first = HeldTurn();
        using var replay = new TurnCancellation { Sequence = 5, Turn = 4 };
        replay.MarkHeld();

        Assert.True(await Context(first, shared).LetTurnStandAsync(Accepted.Step, Accepted.Values));
        Assert.True(await Context(replay, shared).LetTurnStandAsync(Accepted.Step, Accepted.Values));
    }

    [Fact]
    public async Task OtherTurnsAndOtherCalls_DecidedApart()
    {
        using var turn = HeldTurn();
        await Turns(shared).GiveUpAsync("call-1", 3, TimeSpan.FromSeconds(5));
        await Turns(shared).GiveUpAsync("call-2", 4, TimeSpan.FromSeconds(5));

        Assert.True(await Context(turn, shared).LetTurnStandAsync(Accepted.Step, Accepted.Values));
    }

    [Fact]
    public async Task Work_GivenUpOnHereFirst_DoesNotStandAndWritesNothing()
    {
        using var turn = HeldTurn();
        Assert.True(turn.TryAbandon(out _));

        Assert.False(await Context(turn, store.Object).LetTurnStandAsync(Accepted.Step, Accepted.Values));
        store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Work_StoodHereFirst_TheEngineHereGetsItsOutcome()
    {
        using var turn = new TurnCancellation { Sequence = 4, Turn = 4 };
        Assert.True(await Context(turn, store.Object).LetTurnStandAsync(Accepted.Step, Accepted.Values));

        Assert.False(turn.TryAbandon(out var standing));
        Assert.Same(Accepted.Values, standing.Values);
        Assert.False(turn.Abandoned);
    }

    [Fact]
    public async Task WorkSide_StorageFails_StandsAndSaysSo()
    {
        // By then the order is in the outbox and its commit queued; a withdrawal would need the same storage.
        store.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "down"));
        using var turn = HeldTurn();

        Assert.True(await Context(turn, store.Object).LetTurnStandAsync(Accepted.Step, Accepted.Values));
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 2013);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("503", line.Find("Status"));
    }

    [Fact]
    public async Task WorkSide_DecisionExistsButCannotBeRead_StandsAndSaysSo()
    {
        store.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(409, "exists"));
        store.Setup(s => s.GetAsync(HeldTurns.Key("call-1", 4), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(500, "broken"));
        using var turn = HeldTurn();

        Assert.True(await Context(turn, store.Object).LetTurnStandAsync(Accepted.Step, Accepted.Values));
        Assert.Single(logs.Lines, l => l.EventId.Id == 2013);
    }

    [Fact]
    public async Task GivingUp_StorageFails_GivenUpUnrecordedAndSaysSo()
    {
        store.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "down"));

        var givenUp = await Turns(store.Object).GiveUpAsync("call-1", 4, TimeSpan.FromSeconds(5));

        Assert.False(givenUp.Recorded);
        Assert.Null(givenUp.Standing);
        Assert.Equal(LogLevel.Warning, Assert.Single(logs.Lines, l => l.EventId.Id == 2010).Level);
    }

    [Fact]
    public async Task GivingUp_StorageDoesNotAnswerBeforeTheAnswerIsDue_GivenUpUnrecorded()
    {
        store.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>()))
            .Returns(async (CallState _, CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return default(ETag);
            });

        var givenUp = await Turns(store.Object).GiveUpAsync("call-1", 4, TimeSpan.FromMilliseconds(50)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(givenUp.Recorded);
        Assert.Single(logs.Lines, l => l.EventId.Id == 2010);
    }

    private static TurnCancellation HeldTurn()
    {
        var turn = new TurnCancellation { Sequence = 4, Turn = 4 };
        turn.MarkHeld();
        return turn;
    }

    private HeldTurns Turns(ICallStateStore callState) =>
        new(callState, TimeProvider.System, logs.CreateLogger("FunctionsIvr.Calls.CallEngine"));

    private CallContext Context(TurnCancellation turn, ICallStateStore callState) =>
        new(new IvrRequest { UniqueCallId = "call-1" }, new CallSession { Step = "confirm" },
            new CallActions(new Dictionary<string, string>(), name => name), new HashSet<string>(),
            new ServiceCollection().BuildServiceProvider(), TimeProvider.System, null, turn.Token)
        {
            Turn = turn,
            HeldTurns = Turns(callState),
        };
}
