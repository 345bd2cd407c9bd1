using Azure;

namespace FunctionsIvr.State.Diagnostics;

/// <summary>Counts the round trips of the call state store it wraps.</summary>
public sealed class CountingCallStateStore(ICallStateStore inner, StorageCounters counters) : ICallStateStore
{
    public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default)
    {
        counters.CallStateRead();
        return inner.GetAsync(callId, cancellationToken);
    }

    public Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
    {
        counters.CallStateWrite();
        return inner.SaveAsync(state, cancellationToken);
    }
}
