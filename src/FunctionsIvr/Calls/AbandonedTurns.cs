using System.Globalization;
using Azure;
using FunctionsIvr.Hosting;
using FunctionsIvr.Orders;
using FunctionsIvr.State;

namespace FunctionsIvr.Calls;

/// <summary>
/// Held turns the engine gave up on, kept in the shared call state. The replay of a held callback may land on another
/// instance than the one still running its work; when that instance gives up (holds run out, the platform reports an
/// error) it cannot cancel the work, so it records the turn here, and the work looks here before it lets an order
/// stand (<see cref="CallContext.IsTurnAbandonedAsync"/>). Only held work reads it; ordinary callbacks never do.
/// </summary>
internal sealed partial class AbandonedTurns(ICallStateStore store, TimeProvider time, ILogger logger)
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);
    // Read while held work finishes: short, since a replay on this instance may be waiting for its result.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The call state key of one turn, by the sequence of the callback that started its work.</summary>
    internal static string Key(int sequence) => "_abandoned_" + sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records the turns <paramref name="firstSequence"/> to <paramref name="lastSequence"/> as given up on.</summary>
    /// <remarks>Never throws: nobody waits for it (the caller is hearing the apology); a failure is logged.</remarks>
    public async Task RecordAsync(string callId, int firstSequence, int lastSequence)
    {
        using var timeout = new CancellationTokenSource(WriteTimeout, time);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var state = await store.GetAsync(callId, timeout.Token).ConfigureAwait(false) ?? new CallState(callId);
                for (var sequence = firstSequence; sequence <= lastSequence; sequence++) state.Values[Key(sequence)] = "1";
                try
                {
                    await store.SaveAsync(state, timeout.Token).ConfigureAwait(false);
                    Log.Recorded(logger, Redact.Id(callId), firstSequence, lastSequence);
                    return;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 409 or 412 && attempt < MaxAttempts)
                {
                    // Another callback of the call saved its state in between (409: created it first, 412: replaced it,
                    // 404: it expired): read it again and add the marker to what is there now.
                }
            }
        }
        catch (Exception e)
        {
            // Deliberately broad: this runs unobserved. Work left running elsewhere then ends as before the marker
            // existed (its time limit), and an order it placed stands.
            Log.NotRecorded(logger, e, Redact.Id(callId), firstSequence, lastSequence, StorageFailures.Status(e));
        }
    }

    /// <returns>True when another instance recorded the turn started at <paramref name="sequence"/> as given up on.</returns>
    public async Task<bool> WasAbandonedAsync(string callId, int sequence)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout, time);
        try
        {
            var state = await store.GetAsync(callId, timeout.Token).ConfigureAwait(false);
            return state?.Values.ContainsKey(Key(sequence)) == true;
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e) || e is OperationCanceledException && timeout.IsCancellationRequested)
        {
            // Unknown counts as not given up on: the work ends as it would on one instance that kept the turn.
            Log.Unreadable(logger, e, Redact.Id(callId), sequence, StorageFailures.Status(e));
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Call {CallId}: held turns {First}–{Last} given up on, recorded in the call state for work still running on another instance")]
        public static partial void Recorded(ILogger logger, string callId, int first, int last);

        [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Call {CallId}: held turns {First}–{Last} given up on could not be recorded in the call state (status {Status}); work still running on another instance may finish")]
        public static partial void NotRecorded(ILogger logger, Exception exception, string callId, int first, int last, int status);

        [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Call {CallId}: whether held turn {Sequence} was given up on could not be read from the call state (status {Status}); its work goes on")]
        public static partial void Unreadable(ILogger logger, Exception exception, string callId, int sequence, int status);
    }
}
