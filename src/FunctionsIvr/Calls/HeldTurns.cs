using System.Globalization;
using Azure;
using FunctionsIvr.Hosting;
using FunctionsIvr.Orders;
using FunctionsIvr.State;

namespace FunctionsIvr.Calls;

/// <summary>
/// What a turn's work leaves the caller to hear once it lets what it did stand (an order placed): the step the call
/// goes on at, with these Session values set first. An instance that gives up on the turn too late answers with it.
/// </summary>
internal sealed record TurnOutcome(string Step, IReadOnlyDictionary<string, string> Values);

/// <summary>
/// The one decision per held turn, kept in the shared call state. The replay of a held callback may land on another
/// instance than the one still running its work; that instance may give up on the turn (holds run out, the platform
/// reports an error) while the work lets an order stand. Both sides insert a row of their own, only when absent, under
/// the call id and the turn's first sequence: the work "stands" (with what the caller should hear), the instance giving
/// up "abandoned". Whoever inserts first wins and the other follows the row: the work withdraws its order, or the
/// instance tells the caller the work's outcome instead of the apology. Only held turns pay for it.
/// </summary>
internal sealed partial class HeldTurns(ICallStateStore store, TimeProvider time, ILogger logger)
{
    internal const string Stands = "stands";
    internal const string Abandoned = "abandoned";
    internal const string DecisionKey = "decision";
    internal const string StepKey = "step";
    internal const string ValuePrefix = "set:";

    // The work's side: a replay on this instance may be waiting for its result.
    private static readonly TimeSpan WorkTimeout = TimeSpan.FromSeconds(2);

    // The read of a cut placement, which only asks.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The call state key of one turn's decision, by the sequence of the callback that first carried its input (replays
    /// of that input on later callbacks are the same turn): a row of its own, so it is inserted, never merged.
    /// </summary>
    internal static string Key(string callId, int turn) =>
        "held-turn-" + callId + "-" + turn.ToString(CultureInfo.InvariantCulture);

    /// <summary>The work's side, before it lets what it did stand.</summary>
    /// <returns>
    /// False when the turn was given up on first (the work must undo what it did). True when this work decided first,
    /// or another work of the same turn did; true too when the call state cannot be written or read: the order is in
    /// the outbox and its commit queued by then, and a withdrawal would need the same storage (2013 says so).
    /// </returns>
    public async Task<bool> LetStandAsync(string callId, int turn, TurnOutcome outcome)
    {
        var row = new CallState(Key(callId, turn)) { Values = { [DecisionKey] = Stands, [StepKey] = outcome.Step } };
        foreach (var (key, value) in outcome.Values) row.Values[ValuePrefix + key] = value;
        using var timeout = new CancellationTokenSource(WorkTimeout, time);
        try
        {
            var decided = await DecideAsync(row, timeout.Token).ConfigureAwait(false);
            return decided.Values.GetValueOrDefault(DecisionKey) != Abandoned;
        }
        catch (Exception e) when (IsFailure(e, timeout))
        {
            Log.StandsUndecided(logger, e, Redact.Id(callId), turn, StorageFailures.Status(e));
            return true;
        }
    }

    /// <summary>The side of an instance giving up on the turn, bounded by <paramref name="within"/> (its answer is due).</summary>
    /// <returns>
    /// The work's outcome when it let it stand first: the caller hears that instead of the apology. Null when the turn is
    /// given up on (this insert, or an earlier one) or when the call state did not answer in time (2010); in that case
    /// <see cref="GiveUp.Recorded"/> is false.
    /// </returns>
    public async Task<GiveUp> GiveUpAsync(string callId, int turn, TimeSpan within)
    {
        var row = new CallState(Key(callId, turn)) { Values = { [DecisionKey] = Abandoned } };
        using var timeout = new CancellationTokenSource(within > TimeSpan.Zero ? within : TimeSpan.FromMilliseconds(1), time);
        try
        {
            var decided = await DecideAsync(row, timeout.Token).ConfigureAwait(false);
            if (OutcomeOf(decided) is { } standing)
            {
                Log.TooLateToGiveUp(logger, Redact.Id(callId), turn, standing.Step);
                return new GiveUp(true, standing);
            }

            Log.Recorded(logger, Redact.Id(callId), turn);
            return new GiveUp(true, null);
        }
        catch (Exception e) when (IsFailure(e, timeout))
        {
            // Given up all the same: the caller hears the apology. A work elsewhere that decides after this either finds
            // the row (when the insert landed after all) or lets its order stand (a call back is worth it).
            Log.NotRecorded(logger, e, Redact.Id(callId), turn, StorageFailures.Status(e));
            return new GiveUp(false, null);
        }
    }

    /// <returns>True when the turn was given up on first; false when not, or not yet, or unreadable (2011).</returns>
    /// <remarks>Only asks: for work cut before it could let anything stand.</remarks>
    public async Task<bool> WasAbandonedAsync(string callId, int turn)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout, time);
        try
        {
            var row = await store.GetAsync(Key(callId, turn), timeout.Token).ConfigureAwait(false);
            return row?.Values.GetValueOrDefault(DecisionKey) == Abandoned;
        }
        catch (Exception e) when (IsFailure(e, timeout))
        {
            Log.Unreadable(logger, e, Redact.Id(callId), turn, StorageFailures.Status(e));
            return false;
        }
    }

    /// <summary>
    /// Whether the turn's decision is that it was given up on, read as it is (no decision: false); a call state that cannot
    /// be read throws. For whoever settles an order long after the call (the outbox sweep).
    /// </summary>
    internal static async Task<bool> WasGivenUpAsync(ICallStateStore store, string callId, int turn, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(Key(callId, turn), cancellationToken).ConfigureAwait(false);
        return row?.Values.GetValueOrDefault(DecisionKey) == Abandoned;
    }

    /// <summary>Inserts <paramref name="row"/> only when the turn has no decision yet; the decision that stands, either way.</summary>
    private async Task<CallState> DecideAsync(CallState row, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveAsync(row, cancellationToken).ConfigureAwait(false);
            return row;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Decided first by the other side (or by this insert itself, retried by the client after a lost answer).
            return await store.GetAsync(row.CallId, cancellationToken).ConfigureAwait(false)
                   ?? throw new RequestFailedException(404, "The held turn's decision was reported to exist but cannot be read.", e);
        }
    }

    private static TurnOutcome? OutcomeOf(CallState decided)
    {
        if (decided.Values.GetValueOrDefault(DecisionKey) != Stands || decided.Values.GetValueOrDefault(StepKey) is not { Length: > 0 } step) return null;
        var values = decided.Values
            .Where(v => v.Key.StartsWith(ValuePrefix, StringComparison.Ordinal))
            .ToDictionary(v => v.Key[ValuePrefix.Length..], v => v.Value, StringComparer.Ordinal);
        return new TurnOutcome(step, values);
    }

    private static bool IsFailure(Exception e, CancellationTokenSource timeout) =>
        StorageFailures.IsStorageFailure(e) || e is OperationCanceledException && timeout.IsCancellationRequested;

    /// <param name="Recorded">The call state answered: the turn's decision is known (given up on, or <paramref name="Standing"/>).</param>
    /// <param name="Standing">The work's outcome when the work decided first.</param>
    internal sealed record GiveUp(bool Recorded, TurnOutcome? Standing);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Call {CallId}: held turn {Turn} given up on, recorded as the turn's decision for work that may still run on another instance")]
        public static partial void Recorded(ILogger logger, string callId, int turn);

        [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Call {CallId}: held turn {Turn} given up on could not be recorded as the turn's decision (status {Status}); work still running on another instance may let its order stand")]
        public static partial void NotRecorded(ILogger logger, Exception exception, string callId, int turn, int status);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Call {CallId}: whether held turn {Turn} was given up on could not be read from the call state (status {Status}); its work goes on")]
        public static partial void Unreadable(ILogger logger, Exception exception, string callId, int turn, int status);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Information, Message = "Call {CallId}: held turn {Turn} not given up on: its work had let its outcome stand first, so the caller hears it (step {Step}) instead of the apology")]
        public static partial void TooLateToGiveUp(ILogger logger, string callId, int turn, string step);

        [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Call {CallId}: held turn {Turn}'s work could not record that it lets its outcome stand (status {Status}); it stands, though another instance may have given up on the turn")]
        public static partial void StandsUndecided(ILogger logger, Exception exception, string callId, int turn, int status);
    }
}
