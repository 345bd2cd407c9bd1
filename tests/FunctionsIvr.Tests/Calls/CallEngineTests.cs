using FunctionsIvr.Calls;
using Azure;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using Microsoft.Extensions.DependencyInjection;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Logging;
using Moq;

namespace FunctionsIvr.Tests.Calls;

public class CallEngineTests
{
    [Fact]
    public async Task PlatformError_MidCall_ApologisesInsteadOfRepeatingTheStep()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play");
        await call.SendAsync("GetDTMF", "0");

        var turn = await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));

        Assert.True(turn.IsFallback);
        Assert.Equal(IvrActionTypes.Play, turn.Action.Type);
        Assert.Equal("8", turn.Action["Prompt"]);
        Assert.Contains(turn.Notes, n => n.Contains("no SIP account", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("3", "InvalidResponse", LogLevel.Error)]
    [InlineData("5", "Ssl", LogLevel.Error)]
    [InlineData("4", "NoSipAccount", LogLevel.Warning)]
    [InlineData("1", "AppTimeout", LogLevel.Warning)]
    [InlineData("99", "Unknown", LogLevel.Warning)]
    public async Task PlatformError_NamedByTheConfiguredCategory_RejectedAnswersAreErrors(string errorNo, string category, LogLevel level)
    {
        // Whoever is on call must tell "the platform rejects what we answer" (every call fails) from one slow answer.
        var logs = new CapturingLoggerProvider();
        using var call = new EngineHarness(
            new()
            {
                ["Ivr:ErrorCategories:1"] = "AppTimeout",
                ["Ivr:ErrorCategories:3"] = "InvalidResponse",
                ["Ivr:ErrorCategories:4"] = "NoSipAccount",
                ["Ivr:ErrorCategories:5"] = "Ssl",
            },
            configure: b => b.Logging.AddProvider(logs));
        await call.SendAsync("Connected");

        var turn = await call.SendAsync("Play", error: new IvrError(errorNo, "from the panel"));

        Assert.True(turn.IsFallback);
        Assert.Contains(turn.Notes, n => n.Contains($"platform error {errorNo} ({category})", StringComparison.Ordinal));
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 2003);
        Assert.Equal(level, line.Level);
        Assert.Equal(category, line.Find("ErrorCategory"));
        Assert.Equal(errorNo, line.Find("ErrorNo"));
    }

    [Fact]
    public async Task Fallback_TeamQueueNotAnswered_NobodyAvailableThenHangup()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play", error: new IvrError("1", "app timeout"));

        var queue = await call.SendAsync("Play");
        var sorry = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.Equal("kolejka_sprzedaz", queue.Action["Destination"]);
        Assert.Equal("9", sorry.Action["Prompt"]);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task PlatformError_OnTheFallbacksQueueDial_ApologyThenNobodyAvailableInsteadOfTheQueueAgain()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play", error: new IvrError("1", "app timeout"));
        var queue = await call.SendAsync("Play");

        var apology = await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        var sorry = await call.SendAsync("Play");
        var end = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.CallByObjectLogin, queue.Action.Type);
        Assert.True(apology.IsFallback);
        Assert.Equal("8", apology.Action["Prompt"]);
        Assert.Equal("9", sorry.Action["Prompt"]);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task PlatformError_DuringTheFallbacksApology_FinalMessageThenHangupInsteadOfLooping()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play", error: new IvrError("1", "app timeout"));

        var final = await call.SendAsync("Play", error: new IvrError("7", "prompt missing"));
        var end = await call.SendAsync("Play");

        Assert.True(final.IsFallback);
        Assert.Equal("8", final.Action["Prompt"]);
        Assert.Equal(CallFlow.EndStep, final.Session.Step);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task PlatformError_AtTheEndStep_HangsUpWithoutAnotherApology()
    {
        using var call = new EngineHarness();
        call.UseSession(new CallSession { Step = CallFlow.EndStep, Steps = 4 });

        var turn = await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));

        Assert.True(turn.IsFallback);
        Assert.Equal(IvrActionTypes.Hangup, turn.Action.Type);
    }

    [Fact]
    public async Task FallbackToQueueOff_ApologyThenHangup()
    {
        using var call = new EngineHarness(new() { ["Transfer:FallbackToQueue"] = "false" });
        await call.SendAsync("Connected");
        await call.SendAsync("Play", error: new IvrError("1", "x"));

        var end = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task RejectedSession_TakesFallback()
    {
        using var call = new EngineHarness();

        var turn = await call.Engine.HandleAsync(call.Request("Play"), null, "tampered", call.Time.GetTimestamp());

        Assert.True(turn.IsFallback);
        Assert.Equal("8", turn.Action["Prompt"]);
        Assert.Null(turn.Session.Get(CallEngine.HoldCountKey));
    }

    [Fact]
    public async Task UnknownStepInSession_TakesFallback()
    {
        using var call = new EngineHarness();
        call.UseSession(new CallSession { Step = "removed_in_last_release", Steps = 3 });

        var turn = await call.SendAsync("Play");

        Assert.True(turn.IsFallback);
        Assert.Equal(4, turn.Session.Steps);
    }

    [Fact]
    public async Task TooManyStepsInOneCall_EndsPolitely()
    {
        using var call = new EngineHarness(new() { ["Calls:MaxStepsPerCall"] = "5" });
        call.UseSession(new CallSession { Step = "menu", Steps = 5 });

        var turn = await call.SendAsync("GetDTMF", "0");

        Assert.True(turn.IsFallback);
        Assert.Equal(IvrActionTypes.Play, turn.Action.Type);
        Assert.Equal("8", turn.Action["Prompt"]);
    }

    [Fact]
    public async Task TooManyStepsInOneCall_FallbackStillReachesTheTeamQueueThenNobodyAvailable()
    {
        // The limit ends the flow, not the call's way to a person: the apology, the team queue, and when nobody answers
        // "nobody available" (with its call-back escalation), as for any other failure.
        using var call = new EngineHarness(new() { ["Calls:MaxStepsPerCall"] = "5" });
        call.UseSession(new CallSession { Step = "menu", Steps = 5 });

        var apology = await call.SendAsync("GetDTMF", "0");
        var queue = await call.SendAsync("Play");
        var sorry = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.Equal("8", apology.Action["Prompt"]);
        Assert.Equal("kolejka_sprzedaz", queue.Action["Destination"]);
        Assert.Equal("9", sorry.Action["Prompt"]);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task TooManyStepsInOneCall_AFallbackThatGoesOnAndOn_EndsAtTheLimitsAllowance()
    {
        using var call = new EngineHarness(new() { ["Calls:MaxStepsPerCall"] = "5" });
        call.UseSession(new CallSession { Step = CallFlow.FallbackStep, Steps = 10 }.With(CallEngine.InFallbackKey, "menu"));

        var turn = await call.SendAsync("Play");
        var end = await call.SendAsync("Play");

        Assert.True(turn.IsFallback);
        Assert.Equal(CallFlow.EndStep, turn.Session.Step);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task StepThrows_CallerHearsApology()
    {
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(new TestModule()));
        call.UseSession(new CallSession { Step = "throws", Steps = 2 });

        var turn = await call.SendAsync("Play");

        Assert.True(turn.IsFallback);
        Assert.Contains(turn.Notes, n => n.Contains("InvalidOperationException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StepThrowsATimeoutOfItsOwn_CallerHearsTheFallbackNotAnEngineFailure()
    {
        // Storage and HTTP clients report their own timeouts as cancellations of no token of ours.
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(new TestModule()));
        call.UseSession(new CallSession { Step = "times_out", Steps = 2 });

        var turn = await call.SendAsync("Play");

        Assert.True(turn.IsFallback);
        Assert.Contains(turn.Notes, n => n.Contains("TaskCanceledException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StepsLoopWithoutAnswering_TakesFallback()
    {
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(new TestModule()));
        call.UseSession(new CallSession { Step = "loop_a", Steps = 2 });

        var turn = await call.SendAsync("Play");

        Assert.True(turn.IsFallback);
    }

    [Fact]
    public async Task SlowStep_AnswersHoldingPromptWithinBudget_ThenDeliversResult()
    {
        var slow = new TaskCompletionSource<StepResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(new TestModule(slow.Task)));
        call.UseSession(new CallSession { Step = "slow", Steps = 2 });

        var pending = call.SendAsync("GetDTMF", "42");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var hold = await pending;

        Assert.True(hold.IsHold);
        Assert.Equal("7", hold.Action["Prompt"]);
        Assert.Equal("slow", hold.Session.Step);

        slow.SetResult(new StepResult.Goto(CallFlow.EndStep));
        var result = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.Hangup, result.Action.Type);
        Assert.Equal(4, result.Session.Steps);
    }

    [Fact]
    public async Task HeldWorkOnAnotherInstance_ReplaysTheOriginalInput()
    {
        var module = new TestModule();
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(module));
        call.UseSession(new CallSession { Step = "echo_digits", Steps = 2 }
            .With(CallEngine.HoldCountKey, "1").With(CallEngine.HeldEventKey, "GetDTMF").With(CallEngine.HeldDataKey, "42"));

        var turn = await call.SendAsync("Play");

        Assert.Equal("42", module.LastDigits);
        Assert.Equal(IvrActionTypes.Hangup, turn.Action.Type);
        Assert.Null(turn.Session.Get(CallEngine.HoldCountKey));
    }

    [Fact]
    public async Task HeldFirstCallbackOnAnotherInstance_StartsTheCallAfresh()
    {
        // The first callback had no Session; its hold was signed as the start step, marked to be entered, not resumed.
        using var call = new EngineHarness(settings: new() { ["Ivr:AnswerMode"] = "App" });
        call.UseSession(new CallSession { Step = CallFlow.StartStep, Steps = 1 }
            .With(CallEngine.HoldCountKey, "1").With(CallEngine.HeldEventKey, "Connected").With(CallEngine.HeldWithoutSessionKey, "1"));

        var turn = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.Answer, turn.Action.Type);
        Assert.Null(turn.Session.Get(CallEngine.HeldWithoutSessionKey));
        Assert.Null(turn.Session.Get(CallEngine.HoldCountKey));
        Assert.Equal(2, turn.Session.Steps);
    }

    [Fact]
    public async Task SlowStep_HoldsExhausted_TakesFallback()
    {
        var never = new TaskCompletionSource<StepResult>();
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(new TestModule(never.Task)));
        call.UseSession(new CallSession { Step = "slow", Steps = 2 });

        CallTurn turn = null!;
        for (var i = 0; i < 3; i++)
        {
            var pending = call.SendAsync(i == 0 ? "GetDTMF" : "Play", "42");
            call.Time.Advance(TimeSpan.FromMilliseconds(1500));
            turn = await pending;
        }

        Assert.True(turn.IsFallback);
        Assert.Equal("8", turn.Action["Prompt"]);
    }

    [Fact]
    public async Task SlowStep_HoldsExhausted_CancelsTheAbandonedWork()
    {
        var never = new TaskCompletionSource<StepResult>();
        var module = new TestModule(never.Task);
        using var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(module));
        call.UseSession(new CallSession { Step = "slow", Steps = 2 });

        CallTurn turn = null!;
        for (var i = 0; i < 3; i++)
        {
            var pending = call.SendAsync(i == 0 ? "GetDTMF" : "Play", "42");
            call.Time.Advance(TimeSpan.FromMilliseconds(1500));
            turn = await pending;
        }

        // Well inside Calls:WorkTimeoutMs: only giving up on the work cancels it, so it cannot finish after the apology.
        Assert.True(turn.IsFallback);
        Assert.True(module.SlowToken.IsCancellationRequested);
        Assert.True(module.SlowContext!.TurnAbandoned);
    }

    [Fact]
    public async Task SlowStep_OnlyTheWorkTimeLimitPasses_CancelledButNotAbandoned()
    {
        // A time limit alone is no apology: a replay elsewhere may still deliver this turn's outcome to the caller.
        var (call, module) = await HeldAtTheSlowStepAsync();
        using var _ = call;

        call.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(module.SlowToken.IsCancellationRequested);
        Assert.False(module.SlowContext!.TurnAbandoned);
    }

    [Fact]
    public async Task SlowStep_PlatformErrorAfterTheHoldingPrompt_CancelsTheHeldWork()
    {
        var (call, module) = await HeldAtTheSlowStepAsync();
        using var _ = call;

        var turn = await call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(turn.IsFallback);
        Assert.True(module.SlowToken.IsCancellationRequested);
        Assert.True(module.SlowContext!.TurnAbandoned);
    }

    [Fact]
    public async Task HeldHere_PlatformErrorOnAnotherInstance_CountsAsAbandonedHere()
    {
        // The replay of a held callback may land on any instance; the one that gives up cannot cancel the work running here.
        var (call, module) = await HeldAtTheSlowStepAsync();
        using var _ = call;
        using var other = OnAnotherInstance(call, new TestModule());

        var turn = await other.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(turn.IsFallback);
        Assert.False(module.SlowContext!.TurnAbandoned);
        Assert.True(await module.SlowContext.IsTurnAbandonedAsync());
    }

    [Fact]
    public async Task HeldHere_GivenUpOnAnotherInstanceWhileTheCallStateChanges_StillCountsAsAbandonedHere()
    {
        // The turn's decision is a row of its own: another callback saving the call's state in between changes nothing.
        var (call, module) = await HeldAtTheSlowStepAsync();
        using var _ = call;
        var store = new SavedInBetweenCallStateStore(call.Services.GetRequiredService<ICallStateStore>(), call.CallId);
        using var other = OnAnotherInstance(call, new TestModule(), store);

        await other.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(store.SavedInBetween);
        Assert.True(await module.SlowContext!.IsTurnAbandonedAsync());
    }

    [Fact]
    public async Task HeldHere_ReplayAnsweredOnAnotherInstanceWithAnOutcomeThatDidNotStand_TheWorkHereIsGivenUpOn()
    {
        // The caller heard the replay's answer there, so the slow work here must not let another outcome stand later.
        var (call, module) = await HeldAtTheSlowStepAsync();
        using var _ = call;
        using var other = OnAnotherInstance(call, new TestModule(Task.FromResult<StepResult>(new StepResult.Goto(CallFlow.EndStep))));

        var turn = await other.SendAsync("Play");

        Assert.Equal(IvrActionTypes.Hangup, turn.Action.Type);
        Assert.True(await module.SlowContext!.IsTurnAbandonedAsync());
        Assert.False(await module.SlowContext!.LetTurnStandAsync("told"));
    }

    [Fact]
    public async Task WorkFinishedWithinTheBudget_AbandonmentCheckReadsNoCallState()
    {
        // Only held work can have been given up on elsewhere; an ordinary callback pays no storage round trip for it.
        var store = new Mock<ICallStateStore>(MockBehavior.Strict);
        var module = new TestModule();
        using var call = new EngineHarness(services: s =>
        {
            s.AddSingleton<IFlowModule>(module);
            s.AddSingleton(store.Object);
        });
        call.UseSession(new CallSession { Step = "checks_abandonment", Steps = 2 });

        var turn = await call.SendAsync("Play");

        Assert.False(turn.IsFallback);
        Assert.False(module.AbandonmentSeen);
        store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task HeldHere_WorkLetItsOutcomeStandBeforeAnotherInstanceGaveUp_CallerHearsTheOutcomeThere()
    {
        // The race: the work here lets its order stand, then the replay elsewhere hears of a platform error. The caller
        // must hear what stands (as a replay here would have said it), not the apology.
        var (call, module, decide) = await HeldBeforeDecidingAsync();
        using var _ = call;
        decide.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var other = OnAnotherInstance(call, new TestModule());

        var turn = await other.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(module.Stood);
        Assert.False(turn.IsFallback);
        Assert.Equal(IvrActionTypes.SayDigits, turn.Action.Type);
        Assert.Equal("1400", turn.Action.Parameters.First().Value);
        Assert.Equal("told", turn.Session.Step);
        Assert.Null(turn.Session.Get(CallEngine.HoldCountKey));
        Assert.Equal(4, turn.Session.Steps);
    }

    [Fact]
    public async Task HeldHere_AnotherInstanceGaveUpBeforeTheWorkDecided_WorkDoesNotStand()
    {
        var (call, module, decide) = await HeldBeforeDecidingAsync();
        using var _ = call;
        using var other = OnAnotherInstance(call, new TestModule());

        var turn = await other.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        decide.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(turn.IsFallback);
        Assert.False(module.Stood);
    }

    [Fact]
    public async Task HeldHere_WorkLetItsOutcomeStandBeforeHoldsRanOutOnAnotherInstance_CallerHearsTheOutcomeThere()
    {
        var (call, module, decide) = await HeldBeforeDecidingAsync();
        using var _ = call;
        // The replay there is slow as well (its work of the same turn never decides): one more holding prompt, then the holds run out.
        var replay = new TestModule { BeforeDecision = new TaskCompletionSource().Task };
        using var other = OnAnotherInstance(call, replay);
        var pending = other.SendAsync("Play");
        other.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);

        decide.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));
        pending = other.SendAsync("Play");
        other.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var turn = await pending;

        Assert.False(turn.IsFallback);
        Assert.Equal(IvrActionTypes.SayDigits, turn.Action.Type);
        // The replay's work is left to find the same decision: it places the same basket.
        Assert.False(replay.SlowContext!.TurnAbandoned);
        Assert.False(replay.SlowToken.IsCancellationRequested);
    }

    [Fact]
    public async Task HeldHere_WorkLetItsOutcomeStandJustBeforeThePlatformErrorHere_CallerHearsTheOutcome()
    {
        // The same race on one instance: the work decided but has not finished when the error after the holding prompt comes.
        var (call, module, decide) = await HeldBeforeDecidingAsync(afterDecision: new TaskCompletionSource().Task);
        using var _ = call;
        decide.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var turn = await call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.False(turn.IsFallback);
        Assert.Equal(IvrActionTypes.SayDigits, turn.Action.Type);
        Assert.False(module.SlowContext!.TurnAbandoned);
    }

    [Fact]
    public async Task HeldHere_PlatformErrorHereBeforeTheWorkDecided_WorkDoesNotStandAndNothingIsWritten()
    {
        // One hold, its work here: decided on this instance alone, no storage round trip for the engine or the work.
        var store = new Mock<ICallStateStore>(MockBehavior.Strict);
        var decide = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var module = new TestModule { BeforeDecision = decide.Task };
        using var call = new EngineHarness(services: s =>
        {
            s.AddSingleton<IFlowModule>(module);
            s.AddSingleton(store.Object);
        });
        call.UseSession(new CallSession { Step = "slow_order", Steps = 2 });
        var pending = call.SendAsync("GetDTMF", "1");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);

        var turn = await call.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        decide.SetResult();
        await module.Decided.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(turn.IsFallback);
        Assert.False(module.Stood);
        store.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task HeldElsewhere_CallStateFailsWhileGivingUp_ApologyAllTheSame()
    {
        var (call, module, _) = await HeldBeforeDecidingAsync();
        using var __ = call;
        var failing = new Mock<ICallStateStore>();
        failing.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "down"));
        using var other = OnAnotherInstance(call, new TestModule(), failing.Object);

        var turn = await other.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(turn.IsFallback);
        Assert.Null(module.Stood);
    }

    /// <summary>
    /// A call held at the step whose work decides whether its outcome stands once the returned source is set; when it
    /// stands the call goes on at "told", which says the digits the decision carries.
    /// </summary>
    private static async Task<(EngineHarness Call, TestModule Module, TaskCompletionSource Decide)> HeldBeforeDecidingAsync(Task? afterDecision = null)
    {
        var decide = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var module = new TestModule { BeforeDecision = decide.Task, AfterDecision = afterDecision ?? Task.CompletedTask };
        var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(module));
        call.UseSession(new CallSession { Step = "slow_order", Steps = 2 });
        var pending = call.SendAsync("GetDTMF", "1");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);
        return (call, module, decide);
    }

    /// <summary>
    /// The same call on another instance of the app: its own engine and held work, the same call state (by default the
    /// one <paramref name="call"/> uses), and the Session <paramref name="call"/> answered last.
    /// </summary>
    private static EngineHarness OnAnotherInstance(EngineHarness call, TestModule module, ICallStateStore? callState = null)
    {
        var shared = callState ?? call.Services.GetRequiredService<ICallStateStore>();
        var other = new EngineHarness(services: s =>
        {
            s.AddSingleton<IFlowModule>(module);
            s.AddSingleton(shared);
        }, callId: call.CallId);
        other.UseSession(call.Session);
        return other;
    }

    /// <summary>Another callback of the call saves its state just before the first save through this store.</summary>
    private sealed class SavedInBetweenCallStateStore(ICallStateStore inner, string callId) : ICallStateStore
    {
        public bool SavedInBetween { get; private set; }

        public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) => inner.GetAsync(callId, cancellationToken);

        public async Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
        {
            if (!SavedInBetween)
            {
                SavedInBetween = true;
                var other = await inner.GetAsync(callId, cancellationToken) ?? new CallState(callId);
                other.Values["top_products"] = "[]";
                await inner.SaveAsync(other, cancellationToken);
            }

            return await inner.SaveAsync(state, cancellationToken);
        }
    }

    /// <summary>A call held at the slow step: its work never finishes, and the caller has heard the holding prompt once.</summary>
    private static async Task<(EngineHarness Call, TestModule Module)> HeldAtTheSlowStepAsync()
    {
        var module = new TestModule(new TaskCompletionSource<StepResult>().Task);
        var call = new EngineHarness(services: s => s.AddSingleton<IFlowModule>(module));
        call.UseSession(new CallSession { Step = "slow", Steps = 2 });
        var pending = call.SendAsync("GetDTMF", "42");
        call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);
        return (call, module);
    }

    private sealed class TestModule(Task<StepResult>? slow = null) : IFlowModule
    {
        public string? LastDigits { get; private set; }

        public CancellationToken SlowToken { get; private set; }

        public CallContext? SlowContext { get; private set; }

        public bool? AbandonmentSeen { get; private set; }

        public Task BeforeDecision { get; init; } = Task.CompletedTask;

        public Task AfterDecision { get; init; } = Task.CompletedTask;

        public bool? Stood { get; private set; }

        public TaskCompletionSource Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private static StepResult Boom(CallContext context) => throw new InvalidOperationException("boom");

        public void Define(FlowBuilder flow)
        {
            flow.Step("throws").Enter(ctx => ctx.Hangup()).Resume(Boom);
            flow.Step("times_out").Enter(ctx => ctx.Hangup()).Resume(async _ =>
            {
                await Task.Yield();
                throw new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout of 0:01:40.");
            });
            flow.Step("loop_a").Enter(_ => CallContext.Goto("loop_b")).Resume(_ => CallContext.Goto("loop_b"));
            flow.Step("loop_b").Enter(_ => CallContext.Goto("loop_a")).Then("loop_a");
            flow.Step("slow").Enter(ctx => ctx.Hangup()).Resume(ctx =>
            {
                SlowToken = ctx.CancellationToken;
                SlowContext = ctx;
                return slow!;
            });
            flow.Step("slow_order").Enter(ctx => ctx.Hangup()).Resume(async ctx =>
            {
                SlowToken = ctx.CancellationToken;
                SlowContext = ctx;
                await BeforeDecision;
                Stood = await ctx.LetTurnStandAsync("told", new Dictionary<string, string> { ["told"] = "1400" });
                Decided.TrySetResult();
                await AfterDecision;
                return CallContext.Goto(Stood == true ? "told" : CallFlow.EndStep);
            });
            flow.Step("told").Enter(ctx => ctx.SayDigits(ctx.Get("told") ?? "")).Then(CallFlow.EndStep);
            flow.Step("checks_abandonment").Enter(ctx => ctx.Hangup()).Resume(async ctx =>
            {
                AbandonmentSeen = await ctx.IsTurnAbandonedAsync();
                return CallContext.Goto(CallFlow.EndStep);
            });
            flow.Step("echo_digits").Enter(ctx => ctx.Hangup()).Resume(ctx =>
            {
                LastDigits = ctx.Digits;
                return CallContext.Goto(CallFlow.EndStep);
            });
        }
    }
}
