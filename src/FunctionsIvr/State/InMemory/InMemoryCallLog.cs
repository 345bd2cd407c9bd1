namespace FunctionsIvr.State.InMemory;

/// <summary>
/// The call log in process memory. An entry is keyed by (CallId, Sequence) like a Table Storage row, so a repeated
/// callback replaces its own line. Entries are immutable records, so storing them as given is storing a copy.
/// Only the last <c>maxCalls</c> calls are kept (oldest call first out), so a long local run or a load test does
/// not grow the process without bound. A line outlives the garbage collector's young generations, which copy it on its
/// way out of them: so a call keeps its lines in one list in sequence order (no node per line), and each line shares
/// the call's CallId string instead of the copy its callback parsed.
/// </summary>
public sealed class InMemoryCallLog(int maxCalls = InMemoryStateOptions.DefaultCallLogMaxCalls) : ICallLog
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<CallLogEntry>> calls = new(StringComparer.Ordinal);
    private readonly Queue<string> callsOldestFirst = new();
    private readonly int maxCalls = maxCalls > 0 ? maxCalls : throw new ArgumentOutOfRangeException(nameof(maxCalls), maxCalls, "At least one call must be kept.");

    public Task AppendAsync(CallLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.CallId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (!calls.TryGetValue(entry.CallId, out var entries))
            {
                entries = [];
                calls[entry.CallId] = entries;
                callsOldestFirst.Enqueue(entry.CallId);
                if (callsOldestFirst.Count > maxCalls) calls.Remove(callsOldestFirst.Dequeue());
            }
            else
            {
                var callId = entries.Count > 0 ? entries[0].CallId : entry.CallId;
                if (!ReferenceEquals(entry.CallId, callId)) entry = entry with { CallId = callId };
            }

            Put(entries, entry);
        }
        return Task.CompletedTask;
    }

    /// <summary>In sequence order; a line with a sequence already there replaces it. Lines nearly always come last.</summary>
    private static void Put(List<CallLogEntry> entries, CallLogEntry entry)
    {
        var at = entries.Count;
        while (at > 0 && entries[at - 1].Sequence > entry.Sequence) at--;
        if (at > 0 && entries[at - 1].Sequence == entry.Sequence) entries[at - 1] = entry;
        else entries.Insert(at, entry);
    }

    /// <summary>The retention purge: removes lines written before <paramref name="cutoff"/>, and calls left without lines; the number of lines removed.</summary>
    internal int Purge(DateTimeOffset cutoff)
    {
        lock (gate)
        {
            var removed = 0;
            foreach (var (callId, entries) in calls.ToList())
            {
                removed += entries.RemoveAll(e => e.Time < cutoff);
                if (entries.Count == 0) calls.Remove(callId);
            }

            // Keeps the eviction order to the calls still here, so a call logged again later is not evicted by its old place.
            var kept = callsOldestFirst.Where(calls.ContainsKey).ToList();
            callsOldestFirst.Clear();
            foreach (var callId in kept) callsOldestFirst.Enqueue(callId);
            return removed;
        }
    }

    public Task<IReadOnlyList<CallLogEntry>> ReadAsync(string callId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            IReadOnlyList<CallLogEntry> result = calls.TryGetValue(callId, out var entries) ? [.. entries] : [];
            return Task.FromResult(result);
        }
    }
}
