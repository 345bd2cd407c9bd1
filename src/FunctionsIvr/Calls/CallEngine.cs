using System.Runtime.CompilerServices;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// Runs one callback through the call flow. The Session says which step the call waits in; that step's Resume
/// reads the result of its action and the engine follows the steps until one answers with an action.
/// Whatever happens (an exception, a forged Session, a platform Error, a loop, a slow ERP) the answer is a valid
/// action within the budget: a holding prompt while slow work goes on, or the fallback step.
/// </summary>
public sealed partial class CallEngine
{
    /// <summary>Holding prompt played while slow work goes on.</summary>
    public const string HoldPrompt = "please_wait";

    /// <summary>
    /// The apology: the last thing a caller hears when the fallback path itself fails. It promises nothing, since this
    /// path answers at once and raises no escalation ("sorry, nobody is available" promises a call back).
    /// </summary>
    public const string FinalPrompt = "apology";

    // Session keys the engine owns (short: the Session travels on every callback).
    internal const string HoldCountKey = "_h";
    internal const string HeldEventKey = "_he";
    internal const string HeldDataKey = "_hd";
    // Marks a hold of the call's first callback, which came without a Session: its replay starts the call afresh.
    internal const string HeldWithoutSessionKey = "_hn";
    // Set once the call takes the fallback; holds the step that failed, so the fallback does not lead back into it.
    internal const string InFallbackKey = "_fb";

    private readonly CallFlow _flow;
    private readonly CallActions _actions;
    private readonly CallEngineOptions _options;
    private readonly int _budgetMs;
    private readonly IvrOptions _ivr;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly PendingTurns _pending;
    private readonly TurnUndos _undos;
    private readonly ICallStateStore? _stateStore;
    private readonly HeldTurns? _heldTurns;
    private readonly ILogger<CallEngine> _logger;
    // Each started turn's cancellation, found again from its task when a later callback gives up on it.
    private readonly ConditionalWeakTable<Task<CallTurn>, TurnCancellation> _workCancellation = new();

    public CallEngine(
        CallFlow flow,
        CallActions actions,
        IOptions<CallEngineOptions> options,
        IOptions<IvrOptions> ivrOptions,
        IServiceProvider services,
        TimeProvider time,
        PendingTurns pending,
        ILogger<CallEngine> logger,
        ICallStateStore? stateStore = null)
    {
        _flow = flow;
        _actions = actions;
        _options = options.Value;
        _ivr = ivrOptions.Value;
        _budgetMs = _ivr.CallbackBudgetMs;
        _services = services;
        _time = time;
        _pending = pending;
        _undos = new TurnUndos(time);
        _logger = logger;
        _stateStore = stateStore;
        _heldTurns = stateStore is null ? null : new HeldTurns(stateStore, time, logger);
    }

    /// <param name="session">The verified Session, or null on the first callback or when it failed verification.</param>
    /// <param name="sessionProblem">Why a Session that was sent could not be used (tampered, other call, too large…); null when fine.</param>
    /// <param name="receivedAt">Timestamp (<see cref="TimeProvider.GetTimestamp"/>) when the callback arrived; the budget counts from it.</param>
    public async Task<CallTurn> HandleAsync(
        IvrRequest request, CallSession? session, string? sessionProblem, long receivedAt, CancellationToken cancellationToken = default)
    {
        var sequence = (session?.Steps ?? 0) + 1;
        var budget = TimeSpan.FromMilliseconds(_budgetMs);
        // Leave room to sign the Session, serialise and write the call log after the turn is decided.
        var margin = TimeSpan.FromMilliseconds(Math.Min(150, _budgetMs / 5));

        var heldWork = TakeHeldWork(request, session, sequence, out var input, out var inputSession, out var heldSession, out var givenUp);
        if (givenUp is not null
            && await GiveUpAsync(request.UniqueCallId, sequence, givenUp.Holds, givenUp.Work, givenUp.Work is not null,
                budget - margin - _time.GetElapsedTime(receivedAt)).ConfigureAwait(false) is { } standing
            && StandingTurn(request, session, sequence, standing, $"platform error {request.Error?.ErrorNo} after a holding prompt: {TooLate}") is { } told)
        {
            return told;
        }

        // A replay of a held callback carries the same turn as the callback first held (its input, its decision).
        var holdsSoFar = heldSession is null ? 0 : HoldCount(heldSession);
        TurnCancellation? started = null;
        var work = heldWork ?? StartWork(input, inputSession, sessionProblem, sequence, turn: sequence - holdsSoFar, out started);

        // The last wait before giving up leaves room for the turn's decision in the call state, when it takes one.
        var lastWait = holdsSoFar >= _options.MaxHoldsPerStep || !_flow.Prompts.Contains(HoldPrompt);
        var reserve = lastWait && _heldTurns is not null && MayRunElsewhere(holdsSoFar, heldWork is not null) ? DecisionReserve : TimeSpan.Zero;
        var remaining = budget - margin - reserve - _time.GetElapsedTime(receivedAt);
        try
        {
            // A finished held work (its outcome may stand) or a platform error's fallback (the call state took its time to
            // record the give-up) is answered whatever the time left: a holding prompt, or giving up with no time to
            // decide, would be the wrong answer. A fresh turn that finished too late is held as before.
            if (remaining <= TimeSpan.Zero && !(work.IsCompleted && (heldWork is not null || givenUp is not null))) throw new TimeoutException();
            var turn = await work.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, _time, cancellationToken).ConfigureAwait(false);
            var cutHere = _undos.Has(request.UniqueCallId, sequence - holdsSoFar);
            // A held turn answered here while another work of it may run elsewhere (the callback before was held on another
            // instance, or this one held it twice): that work may still let its outcome stand (an order placed).
            var mayStandElsewhere = holdsSoFar > 0 && givenUp is null && _heldTurns is not null && MayRunElsewhere(holdsSoFar, heldWork is not null);
            if ((cutHere || mayStandElsewhere) && !(started?.HasStood ?? HasStood(work)))
            {
                // The caller is about to hear an outcome no work let stand (a failure, "try later", or what a read found):
                // the turn is given up on, so a work elsewhere withdraws what it would let stand, and what a work here cut
                // by its time limit left in motion (an order's outbox write that may have landed) is undone. Unless a work
                // of the turn let its outcome stand first: then the caller hears that.
                if (cutHere) Log.CutWorkAnswered(_logger, request.UniqueCallId, turn.FromStep);
                if (await GiveUpAsync(request.UniqueCallId, sequence, holdsSoFar, work, heldHere: heldWork is not null,
                        budget - margin - _time.GetElapsedTime(receivedAt)).ConfigureAwait(false) is { } stood
                    && StandingTurn(request, (inputSession ?? new CallSession { Step = CallFlow.StartStep }).With(HoldCountKey, null), sequence, stood,
                        "another work of the turn had let its outcome stand first") is { } standingTurn)
                {
                    return standingTurn;
                }
            }

            return turn with { Session = turn.Session with { Steps = sequence } };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !work.IsCompleted)
        {
            // The platform stopped waiting (its app timeout): the caller gets the panel's fallback, not this turn's answer,
            // so the work must not let its outcome stand behind their back. Work that already stood is left standing.
            if (_workCancellation.TryGetValue(work, out var unanswered) && unanswered.TryAbandon(out _))
            {
                CancelQuietly(unanswered);
                UndoTurn(request.UniqueCallId, unanswered.Turn);
            }

            throw;
        }
        catch (TimeoutException)
        {
            return await HoldAsync(request, input, inputSession, heldSession, sequence, work, heldHere: heldWork is not null,
                within: budget - margin - _time.GetElapsedTime(receivedAt)).ConfigureAwait(false);
        }
    }

    /// <summary>Time kept for the turn's decision in the call state (one insert, a read when it loses) out of the last wait.</summary>
    private static readonly TimeSpan DecisionReserve = TimeSpan.FromMilliseconds(300);

    /// <summary>A platform error after a holding prompt: the work it gives up on (null when not on this instance), and the holds before it.</summary>
    private sealed record GivenUp(Task<CallTurn>? Work, int Holds);

    /// <summary>
    /// After a holding prompt, the next callback answers with the held work's result if this instance still has it,
    /// or replays the held input (the original event, the original Session) when it does not.
    /// </summary>
    /// <param name="heldSession">The Session a further hold builds on (it keeps the hold count); null when nothing is held.</param>
    /// <param name="givenUp">Set when the callback gives up on the held turn (a platform error): the engine then decides it.</param>
    private Task<CallTurn>? TakeHeldWork(
        IvrRequest request, CallSession? session, int sequence, out IvrRequest input, out CallSession? inputSession,
        out CallSession? heldSession, out GivenUp? givenUp)
    {
        input = request;
        inputSession = session;
        heldSession = session;
        givenUp = null;
        if (session?.Get(HoldCountKey) is null) return null;
        if (request.Error is not null)
        {
            // The platform could not play the holding prompt: the caller hears the apology now, so the held work must
            // not finish behind their back (an order placed after all).
            var abandoned = _pending.Take(request.UniqueCallId, sequence - 1);
            // A finished work that let nothing stand, on a turn a cut work left something to undo for, is given up on like
            // running work: the caller hears the apology, so that is undone.
            if (abandoned is { IsCompletedSuccessfully: true } && !(_undos.Has(request.UniqueCallId, sequence - HoldCount(session)) && !HasStood(abandoned)))
            {
                // Too late to give up on: it finished while the prompt failed (an order placed, its commit queued). Its
                // answer is the truth, so the caller hears it rather than an apology for work that did not fail.
                var finished = abandoned.Result;
                var told = Task.FromResult(finished with
                {
                    Notes = [.. finished.Notes, $"holding prompt not played (platform error {request.Error.ErrorNo}); the held work had finished: its answer given"],
                });
                // The same work, answered: whether it let its outcome stand is still known from it.
                if (_workCancellation.TryGetValue(abandoned, out var cancellation)) _workCancellation.AddOrUpdate(told, cancellation);
                return told;
            }

            if (abandoned is not null) ObserveLater(abandoned);
            givenUp = new GivenUp(abandoned, HoldCount(session));
            return null;
        }

        input = request with { EventName = session.Get(HeldEventKey) ?? "", EventData = session.Get(HeldDataKey) ?? "" };
        heldSession = session.With(HeldEventKey, null).With(HeldDataKey, null);
        inputSession = heldSession.Get(HeldWithoutSessionKey) is null ? heldSession : null;
        return _pending.Take(request.UniqueCallId, sequence - 1);
    }

    /// <param name="started">The work's cancellation, also when the work finished at once (then disposed, but its decision readable).</param>
    private Task<CallTurn> StartWork(
        IvrRequest request, CallSession? session, string? sessionProblem, int sequence, int turn, out TurnCancellation started)
    {
        var workCancellation = started = new TurnCancellation { Sequence = sequence, Turn = turn };
        // A replay's turn was held already: an instance that gives up on it may be another one.
        if (turn < sequence) _ = workCancellation.MarkHeld();
        var work = RunTurnAsync(request, session, sessionProblem, sequence, workCancellation);
        if (work.IsCompleted)
        {
            // Most turns finish without waiting (nothing to read, or read from cache): no timer, no continuation.
            workCancellation.Dispose();
            return work;
        }

        // Only work still running gets its time limit (Calls:WorkTimeoutMs), and can be held and so given up on later (GiveUpAsync).
        var timeout = _time.CreateTimer(static state => CancelQuietly((CancellationTokenSource)state!), workCancellation,
            TimeSpan.FromMilliseconds(_options.WorkTimeoutMs), Timeout.InfiniteTimeSpan);
        _workCancellation.AddOrUpdate(work, workCancellation);
        work.ContinueWith(static (_, state) =>
        {
            var (timer, cancellation) = ((ITimer, TurnCancellation))state!;
            timer.Dispose();
            cancellation.Dispose();
        }, (timeout, workCancellation), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return work;
    }

    /// <summary>
    /// The caller is about to hear that the work did not finish, so it must not finish afterwards behind their back: an
    /// order confirmed, then apologised for and handed to a person, must not be placed as well once a slow store answers.
    /// The turn's one decision settles it (<see cref="TurnCancellation.TryAbandon"/> here; <see cref="HeldTurns"/> when
    /// the held turns that led to this callback, one per holding prompt, may have left work running on another instance,
    /// since the platform replays a held callback wherever it lands).
    /// </summary>
    /// <param name="work">The turn's work on this instance, if any.</param>
    /// <param name="heldHere">The previous callback's held work was found on this instance.</param>
    /// <param name="within">Until the answer is due.</param>
    /// <returns>Null when the turn is given up on; the work's outcome when the work let it stand first.</returns>
    private async Task<TurnOutcome?> GiveUpAsync(
        string callId, int sequence, int holds, Task<CallTurn>? work, bool heldHere, TimeSpan within)
    {
        var standing = await DecideGiveUpAsync(callId, sequence, holds, work, heldHere, within).ConfigureAwait(false);
        if (standing is null) UndoTurn(callId, sequence - holds);
        return standing;
    }

    private async Task<TurnOutcome?> DecideGiveUpAsync(
        string callId, int sequence, int holds, Task<CallTurn>? work, bool heldHere, TimeSpan within)
    {
        TurnCancellation? here = null;
        if (work is not null && _workCancellation.TryGetValue(work, out var found)) here = found;
        if (_heldTurns is not null && MayRunElsewhere(holds, heldHere))
        {
            var decided = await _heldTurns.GiveUpAsync(callId, sequence - holds, within).ConfigureAwait(false);
            // Work here on the same turn is left to find the same decision when it takes it.
            if (decided.Standing is { } standing) return standing;
            if (decided.Recorded)
            {
                if (here is not null)
                {
                    here.MarkAbandoned();
                    CancelQuietly(here);
                }

                return null;
            }

            // The call state did not answer in time, and this insert may have landed all the same: the work here, even
            // one that already stood in memory, is decided by the row it meets, so only the apology is sure not to tell
            // the caller "accepted" for an order the work then withdraws (2010 says the order may stand after all).
            if (here is not null && here.TryAbandon(out _)) CancelQuietly(here);
            return null;
        }

        if (here is null) return null;
        if (!here.TryAbandon(out var stood)) return stood;
        CancelQuietly(here);
        return null;
    }

    /// <summary>
    /// One hold whose work is here: nothing can run elsewhere, so the common case costs no storage round trip. Held
    /// turns elsewhere are decided in the call state.
    /// </summary>
    private static bool MayRunElsewhere(int holds, bool heldHere) => !(holds == 0 || holds == 1 && heldHere);

    /// <summary>
    /// What the caller hears when the engine gave up on a turn too late: the work had let its outcome stand, so the call
    /// goes on at its step, as a replay that found the work's result would (an order "accepted"), not the apology.
    /// Null when that step does not answer at once: the fallback then.
    /// </summary>
    private CallTurn? StandingTurn(IvrRequest request, CallSession? session, int sequence, TurnOutcome outcome, string note)
    {
        var given = (session ?? new CallSession { Step = CallFlow.StartStep })
            .With(HoldCountKey, null).With(HeldEventKey, null).With(HeldDataKey, null).With(HeldWithoutSessionKey, null);
        foreach (var (key, value) in outcome.Values) given = given.With(key, value);
        var fromStep = given.Step;
        try
        {
            var context = new CallContext(request, given, _actions, _flow.Prompts, _services, _time, _stateStore, CancellationToken.None);
            context.Note(note);
            var driven = DriveAsync(context, new StepResult.Goto(outcome.Step), fromStep);
            if (driven.IsCompletedSuccessfully) return driven.Result with { Session = driven.Result.Session with { Steps = sequence } };
            ObserveLater(driven);
        }
        catch (Exception e)
        {
            Log.StepFailed(_logger, e, request.UniqueCallId, outcome.Step);
        }

        return null;
    }

    private const string TooLate = "too late to give up, the held work had let its outcome stand";

    private static int HoldCount(CallSession session) => int.TryParse(session.Get(HoldCountKey), out var holds) ? holds : 0;

    /// <summary>
    /// The turn is given up on here: what works of it cut by their time limit left to undo is undone (<see cref="TurnUndos"/>:
    /// an order's outbox write that may have landed is withdrawn), and a work cut later undoes its own at once.
    /// </summary>
    private void UndoTurn(string callId, int turn)
    {
        foreach (var undo in _undos.GiveUp(callId, turn)) _ = UndoAsync(undo, callId);
    }

    /// <summary>The work let its outcome stand on this instance (an order accepted).</summary>
    private bool HasStood(Task<CallTurn> work) => _workCancellation.TryGetValue(work, out var cancellation) && cancellation.HasStood;

    /// <summary>Off the callback's path: the answer does not wait for it. The undo logs its own outcome.</summary>
    private async Task UndoAsync(Func<Task> undo, string callId)
    {
        try
        {
            await Task.Run(undo).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.UndoFailed(_logger, e, callId);
        }
    }

    private static void CancelQuietly(CancellationTokenSource cancellation)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The work finished in the meantime.
        }
    }

    /// <param name="heldHere">The work is the previous callback's held work, found on this instance.</param>
    /// <param name="within">Until the answer is due: for the turn's decision, when the holds ran out.</param>
    private async Task<CallTurn> HoldAsync(
        IvrRequest request, IvrRequest input, CallSession? inputSession, CallSession? heldSession, int sequence, Task<CallTurn> work,
        bool heldHere, TimeSpan within)
    {
        // A Session always names a step, so a first callback's hold is signed as the start step, marked to start afresh.
        var held = heldSession ?? new CallSession { Step = CallFlow.StartStep }.With(HeldWithoutSessionKey, "1");
        var holds = HoldCount(held);
        if (holds >= _options.MaxHoldsPerStep || !_flow.Prompts.Contains(HoldPrompt))
        {
            Log.HoldsExhausted(_logger, request.UniqueCallId, held.Step, holds);
            ObserveLater(work);
            // Without the hold count: the callback after the apology is not a replay of held work.
            var given = (inputSession ?? new CallSession { Step = CallFlow.StartStep }).With(HoldCountKey, null);
            if (await GiveUpAsync(request.UniqueCallId, sequence, holds, work, heldHere, within).ConfigureAwait(false) is { } standing
                && StandingTurn(request, given, sequence, standing, "slow work did not finish in time: " + TooLate) is { } told)
            {
                return told;
            }

            return FallbackTurn(request, given, sequence, "slow work did not finish in time");
        }

        // From now on the replay may land elsewhere; the work then learns of a give-up only through the call state.
        if (_workCancellation.TryGetValue(work, out var cancellation) && cancellation.MarkHeld() is { } stood)
        {
            // The work let its outcome stand a moment ago, too early to see the turn held, so it wrote no row: the caller
            // hears that outcome now instead of a holding prompt, and there is no replay for another instance to give up on.
            ObserveLater(work);
            var given = (inputSession ?? new CallSession { Step = CallFlow.StartStep }).With(HoldCountKey, null);
            if (StandingTurn(request, given, sequence, stood, "the work let its outcome stand as the holding prompt was due: answered with it, no hold") is { } told) return told;
            // Not answerable at once (a step that waits again): held like any other work, with the turn's row written
            // for it so a give-up elsewhere finds it. Never throws: a failure is 2013.
            if (_heldTurns is not null) _ = _heldTurns.LetStandAsync(request.UniqueCallId, cancellation.Turn, stood);
        }

        _pending.Keep(request.UniqueCallId, sequence, work);

        Log.Holding(_logger, request.UniqueCallId, held.Step, holds + 1);
        var session = held
            .With(HoldCountKey, (holds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With(HeldEventKey, input.EventName)
            .With(HeldDataKey, input.EventData) with { Steps = sequence };
        return new CallTurn(_actions.Play(HoldPrompt), session, held.Step, ["holding: work still running"]) { IsHold = true };
    }

    private async Task<CallTurn> RunTurnAsync(
        IvrRequest request, CallSession? session, string? sessionProblem, int sequence, TurnCancellation turn)
    {
        var cancellationToken = turn.Token;
        // Hold markers belong to the callback that was held, not to the step that now runs.
        session = session?.With(HoldCountKey, null);
        var fromStep = session?.Step ?? CallFlow.StartStep;
        try
        {
            if (sessionProblem is not null) return FallbackTurn(request, session, sequence, "session rejected: " + sessionProblem);
            if (session is null)
            {
                var start = NewContext(request, new CallSession { Step = CallFlow.StartStep }, turn);
                return await DriveAsync(start, await _flow[CallFlow.StartStep].Enter(start).ConfigureAwait(false), fromStep).ConfigureAwait(false);
            }

            if (request.Error is { } error)
            {
                var category = _ivr.ErrorCategoryOf(error);
                Log.PlatformError(_logger, PlatformErrorLevel(category), request.UniqueCallId, error.ErrorNo, category, error.ErrorMsg, session.Step);
                return FallbackTurn(request, session, sequence, $"platform error {error.ErrorNo} ({category}): {error.ErrorMsg}");
            }

            if (session.Steps >= StepLimit(session)) return FallbackTurn(request, session, sequence, "too many steps in one call");

            if (_flow.Find(session.Step) is not { } step) return FallbackTurn(request, session, sequence, $"unknown step '{session.Step}'");

            var context = NewContext(request, session, turn);
            return await DriveAsync(context, await step.Resume(context).ConfigureAwait(false), fromStep).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The one broad catch of the call path: whatever broke, the caller gets a safe action, and the log says why.
            // Cancellations too, whoever cancelled: storage and HTTP clients report their own timeouts as cancellations.
            Log.StepFailed(_logger, e, request.UniqueCallId, fromStep);
            return FallbackTurn(request, session, sequence, $"{e.GetType().Name} in step '{fromStep}'");
        }
    }

    private async Task<CallTurn> DriveAsync(CallContext context, StepResult result, string fromStep)
    {
        for (var transitions = 0; transitions <= _options.MaxTransitionsPerCallback; transitions++)
        {
            switch (result)
            {
                case StepResult.Reply reply:
                    return new CallTurn(reply.Action, context.Session, fromStep, context.Notes);

                case StepResult.Goto next:
                    context.Session = context.Session with { Step = next.Step, Tries = 0 };
                    result = await _flow[next.Step].Enter(context).ConfigureAwait(false);
                    break;

                case StepResult.Retry retry:
                    var step = _flow[context.Step];
                    var tries = context.Tries + 1;
                    if (tries >= step.MaxTries)
                    {
                        context.Note($"{step.Name}: {retry.Reason}, {tries} tries, giving up");
                        result = new StepResult.Goto(step.ExhaustedStep ?? CallFlow.FallbackStep);
                        break;
                    }

                    context.Note($"{step.Name}: {retry.Reason}, asking again");
                    context.Session = context.Session with { Tries = tries };
                    result = await step.Enter(context).ConfigureAwait(false);
                    break;

                default:
                    throw new InvalidOperationException($"Unknown step result {result.GetType().Name}.");
            }
        }

        throw new InvalidOperationException($"More than {_options.MaxTransitionsPerCallback} step changes in one callback: the flow loops.");
    }

    /// <summary>
    /// Enters the fallback step. If the call is already on its way out (or the fallback itself fails) it plays the final
    /// message and moves to the end step, whose next callback hangs up; a failure at the end step hangs up at once. So a
    /// failing transfer or prompt can never loop back into another apology. One exception: the fallback's own team-queue
    /// dial failing with a platform Error goes through the fallback once more, as the failed team queue of the transfer
    /// chain, so it ends in "nobody available" with its call-back escalation instead of a bare apology.
    /// </summary>
    private CallTurn FallbackTurn(IvrRequest request, CallSession? session, int sequence, string reason)
    {
        Log.Fallback(_logger, request.UniqueCallId, session?.Step ?? "", reason);
        var baseSession = (session ?? new CallSession { Step = CallFlow.StartStep }) with { Steps = sequence };
        var fromStep = session?.Step ?? CallFlow.StartStep;
        var failedStep = baseSession.Get(InFallbackKey) is null ? fromStep
            : fromStep == EndingFlow.FallbackQueue ? Transfer.TransferFlow.ToQueue
            : null;
        if (failedStep is not null && fromStep != CallFlow.EndStep && baseSession.Steps < _options.MaxStepsPerCall + FallbackSteps)
        {
            try
            {
                var context = new CallContext(request, baseSession.With(InFallbackKey, failedStep) with { Step = CallFlow.FallbackStep, Tries = 0 },
                    _actions, _flow.Prompts, _services, _time, _stateStore, CancellationToken.None);
                context.Note(reason);
                var entered = _flow[CallFlow.FallbackStep].Enter(context);
                // The fallback must answer at once: it is what the caller hears when everything else failed.
                if (entered.IsCompletedSuccessfully && entered.Result is StepResult.Reply reply)
                {
                    return new CallTurn(reply.Action, context.Session, fromStep, context.Notes) { IsFallback = true };
                }
            }
            catch (Exception e)
            {
                Log.StepFailed(_logger, e, request.UniqueCallId, CallFlow.FallbackStep);
            }
        }

        var final = fromStep != CallFlow.EndStep && _flow.Prompts.Contains(FinalPrompt) ? _actions.Play(FinalPrompt) : IvrAction.Hangup();
        return new CallTurn(final, baseSession with { Step = CallFlow.EndStep, Tries = 0 }, fromStep, [reason]) { IsFallback = true };
    }

    /// <summary>
    /// Callbacks a call may still have once it is on the fallback path: the apology, the team queue, "nobody
    /// available", the hang-up. So a call ended by the step limit still reaches a person or a call-back promise, and a
    /// fallback that goes on and on is still ended.
    /// </summary>
    private const int FallbackSteps = 5;

    private int StepLimit(CallSession session) =>
        session.Get(InFallbackKey) is null ? _options.MaxStepsPerCall : _options.MaxStepsPerCall + FallbackSteps;

    private CallContext NewContext(IvrRequest request, CallSession session, TurnCancellation turn) =>
        new(request, session, _actions, _flow.Prompts, _services, _time, _stateStore, turn.Token) { Turn = turn, HeldTurns = _heldTurns, Undos = _undos };

    /// <summary>
    /// The platform rejected our answer (<see cref="IvrErrorCategories.InvalidResponse"/>) or could not reach us over TLS
    /// (<see cref="IvrErrorCategories.Ssl"/>): every call fails the same way until someone fixes it, so it is an Error.
    /// A timeout, an agent without a SIP account or an unmapped code concerns this call and stays a Warning.
    /// </summary>
    private static LogLevel PlatformErrorLevel(string category) =>
        category is IvrErrorCategories.InvalidResponse or IvrErrorCategories.Ssl ? LogLevel.Error : LogLevel.Warning;

    private void ObserveLater(Task<CallTurn> work) =>
        work.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Call {CallId}: fallback from step {Step}: {Reason}")]
        public static partial void Fallback(ILogger logger, string callId, string step, string reason);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Call {CallId}: step {Step} failed")]
        public static partial void StepFailed(ILogger logger, Exception exception, string callId, string step);

        [LoggerMessage(EventId = 2003, Message = "Call {CallId}: platform reported error {ErrorNo} ({ErrorCategory}: {ErrorMsg}) in step {Step}")]
        public static partial void PlatformError(ILogger logger, LogLevel level, string callId, string errorNo, string errorCategory, string errorMsg, string step);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Call {CallId}: step {Step} is slow, holding prompt #{Hold}")]
        public static partial void Holding(ILogger logger, string callId, string step, int hold);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Call {CallId}: step {Step} still slow after {Holds} holding prompts")]
        public static partial void HoldsExhausted(ILogger logger, string callId, string step, int holds);

        [LoggerMessage(EventId = 2014, Level = LogLevel.Warning,
            Message = "Call {CallId}: a work of the turn answered from step {Step} was cut by its time limit after setting something in motion; the caller hears an outcome no work let stand, so the turn is given up on and that is undone")]
        public static partial void CutWorkAnswered(ILogger logger, string callId, string step);

        [LoggerMessage(EventId = 2015, Level = LogLevel.Error, Message = "Call {CallId}: undoing what a held work left behind failed")]
        public static partial void UndoFailed(ILogger logger, Exception exception, string callId);
    }
}
