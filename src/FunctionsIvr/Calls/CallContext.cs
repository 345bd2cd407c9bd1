using Azure;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;

namespace FunctionsIvr.Calls;

/// <summary>
/// Everything a step sees of one callback: the request, the Session it can read and write, the call's larger
/// state on demand, and helpers that build actions from prompt names. Steps never touch HTTP.
/// </summary>
public sealed class CallContext
{
    private readonly CallActions _actions;
    private readonly ICallStateStore? _stateStore;
    private readonly IReadOnlySet<string> _declaredPrompts;
    private readonly List<string> _notes = [];
    private CallState? _state;

    public CallContext(
        IvrRequest request,
        CallSession session,
        CallActions actions,
        IReadOnlySet<string> declaredPrompts,
        IServiceProvider services,
        TimeProvider time,
        ICallStateStore? stateStore,
        CancellationToken cancellationToken)
    {
        Request = request;
        Session = session;
        _actions = actions;
        _declaredPrompts = declaredPrompts;
        Services = services;
        Time = time;
        _stateStore = stateStore;
        CancellationToken = cancellationToken;
    }

    public IvrRequest Request { get; }

    public CallSession Session { get; internal set; }

    public string CallId => Request.UniqueCallId;

    public string Step => Session.Step;

    /// <summary>Attempts already made at this step (0 on the first entry).</summary>
    public int Tries => Session.Tries;

    /// <summary>The keys the caller pressed, or null when nothing usable was entered.</summary>
    public string? Digits => DtmfInput.Parse(Request.EventData);

    /// <summary>The result of the last Call… action (Answer, Busy, Noanswer, Cancel, Error).</summary>
    public string CallStatus => Request.EventData;

    public IServiceProvider Services { get; }

    /// <summary>A service the step needs (the ERP client, the work queue), resolved per callback.</summary>
    public T Service<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public TimeProvider Time { get; }

    /// <summary>Fires when the work for this callback must stop (well after the answer budget; see <see cref="CallEngineOptions.WorkTimeoutMs"/>).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// True once the engine gave up on this callback's work: the caller hears the apology, never this work's answer, so
    /// whatever the work set in motion must not stand as if the caller had been told (an order is withdrawn).
    /// False when only the work's time limit passed.
    /// </summary>
    public bool TurnAbandoned => Turn?.Abandoned ?? false;

    /// <summary>
    /// <see cref="TurnAbandoned"/>, or given up on by another instance: once this callback was answered with a holding
    /// prompt, its replay may land elsewhere, and the instance that gives up on it records that as the turn's decision
    /// in the call state. Only asks: work that is about to let something stand takes the decision with
    /// <see cref="LetTurnStandAsync"/> instead. Only held work reads the call state here; for any other callback this
    /// costs nothing.
    /// </summary>
    public async Task<bool> IsTurnAbandonedAsync()
    {
        if (Turn is not { } turn) return false;
        if (turn.Abandoned) return true;
        if (!turn.Held || HeldTurns is not { } heldTurns) return false;
        var elsewhere = await heldTurns.WasAbandonedAsync(CallId, turn.Turn).ConfigureAwait(false);
        // This instance may have given up on the turn while the read was on its way.
        return elsewhere || turn.Abandoned;
    }

    /// <summary>
    /// Takes the turn's one decision before the work lets what it did stand (an order placed): false when the engine
    /// gave up on the turn first, here or (for a held turn) on another instance, so the work must undo it. Otherwise
    /// an engine that gives up later finds the decision taken and answers with <paramref name="step"/> instead of the
    /// apology, the Session carrying <paramref name="values"/>. Only held work writes the call state here.
    /// </summary>
    public async Task<bool> LetTurnStandAsync(string step, IReadOnlyDictionary<string, string>? values = null)
    {
        if (Turn is not { } turn) return true;
        var outcome = new TurnOutcome(step, values ?? new Dictionary<string, string>(StringComparer.Ordinal));
        if (!turn.TryLetStand(outcome)) return false;
        if (!turn.Held || HeldTurns is not { } heldTurns) return true;
        return await heldTurns.LetStandAsync(CallId, turn.Turn, outcome).ConfigureAwait(false);
    }

    /// <summary>
    /// For work its time limit cut after it set something in motion that may have landed (an order's outbox write):
    /// <paramref name="undo"/> is left to the engine, which runs it if the caller hears that this turn did not stand (this
    /// instance answers the turn with an outcome no work let stand, or gives the turn up). The work cannot decide that
    /// alone: a replay of the held callback on another instance may still finish the same turn and tell the caller it stood.
    /// </summary>
    /// <returns>False when the turn was given up on already: the work runs <paramref name="undo"/> itself, now.</returns>
    public bool TryLeaveUndo(Func<Task> undo) => Turn is not { } turn || Undos is not { } undos || undos.TryLeave(CallId, turn.Turn, undo);

    internal TurnCancellation? Turn { get; init; }

    /// <summary>The turn this work runs for (see <see cref="TurnCancellation.Turn"/>); null outside the engine.</summary>
    public int? TurnNumber => Turn?.Turn;

    internal TurnUndos? Undos { get; init; }

    internal HeldTurns? HeldTurns { get; init; }

    /// <summary>
    /// Set once the work queue failed a send in this callback: the callback's later work is parked for the outbox sweep
    /// straight away instead of waiting on the queue again (see <see cref="CallContextWorkExtensions.TrySendWorkAsync"/>).
    /// </summary>
    internal bool WorkQueueFailed { get; set; }

    /// <summary>Short remarks for the call log (why a fallback happened, what the ERP said).</summary>
    public IReadOnlyList<string> Notes => _notes;

    public void Note(string note) => _notes.Add(note);

    public string? Get(string key) => Session.Get(key);

    /// <summary>On the fallback path: the step whose callback failed (null before any failure).</summary>
    public string? FailedStep => Get(CallEngine.InFallbackKey);

    public void Set(string key, string? value) => Session = Session.With(key, value);

    /// <summary>The call's larger state, loaded once per callback (a new one if the call has none yet).</summary>
    public async Task<CallState> LoadStateAsync()
    {
        if (_state is not null) return _state;
        var store = _stateStore ?? throw new InvalidOperationException("No call state store is registered.");
        _state = await store.GetAsync(CallId, CancellationToken).ConfigureAwait(false) ?? new CallState(CallId);
        return _state;
    }

    public async Task SaveStateAsync()
    {
        if (_state is null) return;
        var store = _stateStore ?? throw new InvalidOperationException("No call state store is registered.");
        await store.SaveAsync(_state, CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes a mark that only one call can hold: a call state row of its own under <paramref name="key"/>, inserted
    /// only when absent (the row goes with the call state retention). True when this call holds it, now or from an
    /// earlier callback; true too when the store is missing or failing, as a mark that cannot be checked must not
    /// silence what it guards.
    /// </summary>
    public async Task<bool> TryTakeMarkAsync(string key) => await MarkHolderAsync(key).ConfigureAwait(false) == CallId;

    /// <summary>
    /// The call that first stored its id under <paramref name="key"/> (a call state row of its own, inserted only when
    /// absent): this one when it is the first. When the store is missing or failing, this call.
    /// </summary>
    private async Task<string> MarkHolderAsync(string key)
    {
        const string property = MarkHolderKey;
        var value = CallId;
        if (_stateStore is null) return value;
        try
        {
            await _stateStore.SaveAsync(new CallState(key) { Values = { [property] = value } }, CancellationToken).ConfigureAwait(false);
            return value;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            try
            {
                var first = await _stateStore.GetAsync(key, CancellationToken).ConfigureAwait(false);
                return first?.Values.GetValueOrDefault(property) ?? value;
            }
            catch (Exception read) when (read is not OperationCanceledException)
            {
                Note($"{key} unreadable, this callback's value used: {read.GetType().Name}");
                return value;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Note($"{key} not stored, this callback's value used: {e.GetType().Name}");
            return value;
        }
    }

    // The property a mark's row keeps the call holding it in.
    private const string MarkHolderKey = "callId";

    public StepResult Play(string prompt) => Reply(_actions.Play(Declared(prompt)));

    public StepResult Ask(string prompt, int maxDigits, int timeoutMs = 5000) =>
        Reply(_actions.Ask(Declared(prompt), maxDigits, timeoutMs));

    public StepResult SayNumber(long value) => Reply(_actions.SayNumber(value));

    public StepResult SayDigits(string digits) => Reply(_actions.SayDigits(digits));

    public StepResult SayDate(DateOnly date) => Reply(_actions.SayDate(date));

    public StepResult SayTime(TimeOnly time) => Reply(_actions.SayTime(time));

    /// <summary>Transfer to a PBX object (an agent's login or a queue).</summary>
    public StepResult Transfer(string objectLogin, int ringSeconds) =>
        Reply(IvrAction.CallByObjectLogin(objectLogin, new CallOptions(ringSeconds)));

    public StepResult Answer() => Reply(IvrAction.Answer());

    public StepResult Hangup() => Reply(IvrAction.Hangup());

    public static StepResult Goto(string step) => new StepResult.Goto(step);

    public static StepResult Retry(string reason) => new StepResult.Retry(reason);

    public static StepResult Reply(IvrAction action) => new StepResult.Reply(action);

    private string Declared(string prompt) =>
        _declaredPrompts.Contains(prompt)
            ? prompt
            : throw new InvalidOperationException($"Prompt '{prompt}' is played but no flow module declares it with UsesPrompts.");
}
