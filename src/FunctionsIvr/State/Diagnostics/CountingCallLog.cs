namespace FunctionsIvr.State.Diagnostics;

/// <summary>Counts the round trips of the call log it wraps.</summary>
public sealed class CountingCallLog(ICallLog inner, StorageCounters counters) : ICallLog
{
    public Task AppendAsync(CallLogEntry entry, CancellationToken cancellationToken = default)
    {
        counters.CallLogWrite();
        return inner.AppendAsync(entry, cancellationToken);
    }

    public Task<IReadOnlyList<CallLogEntry>> ReadAsync(string callId, CancellationToken cancellationToken = default)
    {
        counters.CallLogRead();
        return inner.ReadAsync(callId, cancellationToken);
    }
}
