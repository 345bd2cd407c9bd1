using Azure;
using FunctionsIvr.Calls;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Calls;

/// <summary>
/// The held turn's decision when the call state is slow or hangs: what the caller hears must match what happens to
/// the work's outcome (an order), and a platform error is answered with the apology, never another holding prompt.
/// </summary>
public class HeldTurnRaceTests
{
    [Fact]
    public async Task HoldsRunOut_GiveUpLandsButAnswersLate_WorkHereStoodInMemory_ApologyAndTheWorkWithdraws()
    {
        var before = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var module = new DecidingModule { BeforeDecision = before.Task };
        var store = new SlowDecisionStore(new InMemoryCallStateStore(TimeProvider.System, Options.Create(new InMemoryStateOptions())));
        using var call = AtSlowOrder(module, store);
        await HeldTwiceAsync(call);

        before.SetResult();
        await store.WorkSaving.Task.WaitAsync(TimeSpan.FromSeconds(10)); // stood in memory, its insert on its way

        var pending = call.SendAsync("Play");
        call.Time.Advance(TimeSpan.FromMilliseconds(1050));
        await store.EngineSaved.Task.WaitAsync(TimeSpan.FromSeconds(10)); // "abandoned" landed, its answer late
        call.Time.Advance(TimeSpan.FromMilliseconds(300));
        var told = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        store.WorkGate.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(told.IsFallback, "the caller must hear the apology: the row the work meets says abandoned");
        Assert.False(module.Stood, "the work must withdraw, since the caller heard the apology");
    }

    [Fact]
    public async Task PlatformErrorAfterAHold_CallStateHangsUntilTheAnswerIsDue_ApologyNotAnotherHold()
    {
        var module = new DecidingModule { BeforeDecision = new TaskCompletionSource().Task };
        using var call = AtSlowOrder(module);
        var pending = call.SendAsync("GetDTMF", "1");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);

        // The replay lands on another instance, whose call state takes the give-up and never answers.
        var hanging = new HangingStore();
        using var other = new EngineHarness(services: s =>
        {
            s.AddSingleton<IFlowModule>(new DecidingModule());
            s.AddSingleton<ICallStateStore>(hanging);
        }, callId: call.CallId);
        other.UseSession(call.Session);
        var answer = other.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        await hanging.Saving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        other.Time.Advance(TimeSpan.FromMilliseconds(1350));
        var turn = await answer.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(turn.IsHold, "a platform error after a holding prompt was answered with another holding prompt");
        Assert.True(turn.IsFallback);
    }

    [Fact]
    public async Task WorkStoodJustBeforeItsHoldWasDue_CallerHearsTheOutcomeAndNothingIsHeld()
    {
        // The work let its outcome stand in memory an instant before the holding prompt was due, too early to see the
        // turn held, so it wrote no row. A holding prompt would leave a replay that another instance could give up on
        // (and apologise for an order that stands): the caller hears the outcome at once instead.
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var module = new DecidingModule { AfterDecision = after.Task };
        using var call = AtSlowOrder(module);
        var pending = call.SendAsync("GetDTMF", "1");
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var told = await pending;
        after.SetResult();

        Assert.True(module.Stood);
        Assert.False(told.IsHold, "a holding prompt for work that had already let its outcome stand");
        Assert.False(told.IsFallback);
        Assert.Contains(told.Action.Parameters, p => p.Value == "1400");
        Assert.Null(await call.Services.GetRequiredService<ICallStateStore>().GetAsync(HeldTurns.Key(call.CallId, 3)));
    }

    [Fact]
    public async Task HeldWorkFinishedAndStood_ReplayReachesTheEngineLate_AnsweredWithItsOutcomeNotTheApology()
    {
        // Twice held, the work let its order stand and finished; its replay reaches the engine with no time left (a GC
        // pause, a busy thread pool). Its answer is there: giving up now, with no time to decide, would be the apology
        // for an order that stands.
        var before = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var module = new DecidingModule { BeforeDecision = before.Task };
        // A give-up's insert would not answer in the time left: only the finished work's own answer is right.
        using var call = AtSlowOrder(module, new HangingGiveUpStore(new InMemoryCallStateStore(TimeProvider.System, Options.Create(new InMemoryStateOptions()))));
        await HeldTwiceAsync(call);
        before.SetResult();
        var turns = call.Services.GetRequiredService<PendingTurns>();
        var held = turns.Take(call.CallId, 4)!;
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        turns.Keep(call.CallId, 4, held);

        var receivedAt = call.Time.GetTimestamp();
        call.Time.Advance(TimeSpan.FromMilliseconds(1400));
        var told = await call.Engine.HandleAsync(call.Request("Play"), call.Session, null, receivedAt).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(module.Stood);
        Assert.False(told.IsFallback, "the apology for an order that stands");
        Assert.Contains(told.Action.Parameters, p => p.Value == "1400");
    }

    [Fact]
    public async Task PlatformStopsWaitingForTheAnswer_TheWorkDoesNotLetItsOutcomeStand()
    {
        // The platform's app timeout: it aborts the request and plays the panel's fallback, so nobody hears this turn.
        var before = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var module = new DecidingModule { BeforeDecision = before.Task };
        using var call = AtSlowOrder(module);
        using var aborted = new CancellationTokenSource();

        var answer = call.Engine.HandleAsync(call.Request("GetDTMF", "1"), call.Session, null, call.Time.GetTimestamp(), aborted.Token);
        await aborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer.WaitAsync(TimeSpan.FromSeconds(10)));
        before.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(module.Stood, "the order would stand while the caller heard the panel's fallback");
    }

    /// <summary>A call on this instance at the slow confirmation step, before its callback 3.</summary>
    private static EngineHarness AtSlowOrder(DecidingModule module, ICallStateStore? store = null)
    {
        var call = new EngineHarness(services: s =>
        {
            s.AddSingleton<IFlowModule>(module);
            if (store is not null) s.AddSingleton(store);
        });
        call.UseSession(new CallSession { Step = "slow_order", Steps = 2 });
        return call;
    }

    /// <summary>The confirmation (callback 3) and its replay (4) each answered with a holding prompt.</summary>
    private static async Task HeldTwiceAsync(EngineHarness call)
    {
        var pending = call.SendAsync("GetDTMF", "1");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);
        pending = call.SendAsync("Play");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);
    }

    private sealed class HangingGiveUpStore(ICallStateStore inner) : ICallStateStore
    {
        public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) => inner.GetAsync(callId, cancellationToken);

        public async Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
        {
            if (state.Values.GetValueOrDefault(HeldTurns.DecisionKey) != HeldTurns.Abandoned) return await inner.SaveAsync(state, cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return default;
        }
    }

    private sealed class HangingStore : ICallStateStore
    {
        public TaskCompletionSource Saving { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) => Task.FromResult<CallState?>(null);

        public async Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
        {
            Saving.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return default;
        }
    }

    /// <summary>The work's "stands" insert waits for a gate; the engine's "abandoned" insert lands, then never answers.</summary>
    private sealed class SlowDecisionStore(ICallStateStore inner) : ICallStateStore
    {
        public TaskCompletionSource WorkSaving { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource WorkGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource EngineSaved { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) => inner.GetAsync(callId, cancellationToken);

        public async Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
        {
            if (!state.CallId.StartsWith("held-turn-", StringComparison.Ordinal)) return await inner.SaveAsync(state, cancellationToken);
            if (state.Values[HeldTurns.DecisionKey] == HeldTurns.Stands)
            {
                WorkSaving.TrySetResult();
                await WorkGate.Task;
                return await inner.SaveAsync(state, cancellationToken);
            }

            await inner.SaveAsync(state, cancellationToken);
            EngineSaved.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return default;
        }
    }

    /// <summary>A confirmation whose work takes the turn's decision, then says "1400" when it stood.</summary>
    private sealed class DecidingModule : IFlowModule
    {
        public Task BeforeDecision { get; init; } = Task.CompletedTask;

        public Task AfterDecision { get; init; } = Task.CompletedTask;

        public bool? Stood { get; private set; }

        public TaskCompletionSource Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Define(FlowBuilder flow)
        {
            flow.Step("slow_order").Enter(ctx => ctx.Hangup()).Resume(async ctx =>
            {
                await BeforeDecision;
                Stood = await ctx.LetTurnStandAsync("told", new Dictionary<string, string> { ["told"] = "1400" });
                if (Stood == true) ctx.Set("told", "1400");
                Decided.TrySetResult();
                await AfterDecision;
                return CallContext.Goto(Stood == true ? "told" : CallFlow.EndStep);
            });
            flow.Step("told").Enter(ctx => ctx.SayDigits(ctx.Get("told") ?? "")).Then(CallFlow.EndStep);
        }
    }
}
