using FunctionsIvr.Calls;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace FunctionsIvr.Tests.Calls;

/// <summary><see cref="CallContext.IsTurnAbandonedAsync"/>: what held work asks before it lets an order stand.</summary>
public class TurnAbandonedCheckTests
{
    private readonly Mock<ICallStateStore> store = new(MockBehavior.Strict);

    [Fact]
    public async Task HeldWork_GivenUpOnHereWhileTheCallStateIsRead_CountsAsAbandoned()
    {
        // The read is slow (storage struggling, which is when holds pile up) and this instance gives up meanwhile.
        var read = new TaskCompletionSource<CallState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        store.Setup(s => s.GetAsync("call-1", It.IsAny<CancellationToken>())).Returns(read.Task);
        using var turn = new TurnCancellation { Sequence = 4 };
        turn.MarkHeld();
        var context = Context(turn);

        var check = context.IsTurnAbandonedAsync();
        turn.MarkAbandoned();
        read.SetResult(null);

        Assert.True(await check);
    }

    [Fact]
    public async Task HeldWork_GivenUpOnAnotherInstance_CountsAsAbandoned()
    {
        var recorded = new CallState("call-1");
        recorded.Values[AbandonedTurns.Key(4)] = "1";
        store.Setup(s => s.GetAsync("call-1", It.IsAny<CancellationToken>())).ReturnsAsync(recorded);
        using var turn = new TurnCancellation { Sequence = 4 };
        turn.MarkHeld();

        Assert.True(await Context(turn).IsTurnAbandonedAsync());
    }

    [Fact]
    public async Task WorkNeverHeld_NotAbandonedWithoutReadingTheCallState()
    {
        using var turn = new TurnCancellation { Sequence = 4 };

        Assert.False(await Context(turn).IsTurnAbandonedAsync());
        store.VerifyNoOtherCalls();
    }

    private CallContext Context(TurnCancellation turn) =>
        new(new IvrRequest { UniqueCallId = "call-1" }, new CallSession { Step = "confirm" },
            new CallActions(new Dictionary<string, string>(), name => name), new HashSet<string>(),
            new ServiceCollection().BuildServiceProvider(), TimeProvider.System, null, turn.Token)
        {
            Turn = turn,
            AbandonedTurns = new AbandonedTurns(store.Object, TimeProvider.System, NullLogger.Instance),
        };
}
