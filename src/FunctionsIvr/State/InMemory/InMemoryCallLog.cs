namespace FunctionsIvr.State.InMemory;

/// <summary>
/// The call log in process memory. An entry is keyed by (CallId, Sequence) like a Table Storage row, so a repeated
/// callback replaces its own line. Entries are immutable records, so storing them as given is storing a copy.
/// Only the last <c>maxCalls</c> calls are kept (oldest call first out), so a long local run or a load test does
/// not grow the process without bound.
/// </summary>
public sealed class InMemoryCallLog(int maxCalls = InMemoryStateOptions.DefaultCallLogMaxCalls) : ICallLog
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedDictionary<int, CallLogEntry>> calls = new(StringComparer.Ordinal);
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
            entries[entry.Sequence] = entry;
        }
        return Task.CompletedTask;
    }

    /// <summary>The retention purge: removes lines written before <paramref name="cutoff"/>, and calls left without lines; the number of lines removed.</summary>
    internal int Purge(DateTimeOffset cutoff)
    {
        lock (gate)
        {
            var removed = 0;
            foreach (var (callId, entries) in calls.ToList())
            {
                foreach (var sequence in entries.Where(e => e.Value.Time < cutoff).Select(e => e.Key).ToList())
                {
                    entries.Remove(sequence);
                    removed++;
                }

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
            IReadOnlyList<CallLogEntry> result = calls.TryGetValue(callId, out var entries) ? [.. entries.Values] : [];
            return Task.FromResult(result);
        }
    }
}
