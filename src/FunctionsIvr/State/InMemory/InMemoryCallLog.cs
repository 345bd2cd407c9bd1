namespace FunctionsIvr.State.InMemory;

/// <summary>
/// The call log in process memory. An entry is keyed by (CallId, Sequence) like a Table Storage row, so a repeated
/// callback replaces its own line. Entries are immutable records, so storing them as given is storing a copy.
/// </summary>
public sealed class InMemoryCallLog : ICallLog
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, SortedDictionary<int, CallLogEntry>> calls = new(StringComparer.Ordinal);

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
            }
            entries[entry.Sequence] = entry;
        }
        return Task.CompletedTask;
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
