namespace FunctionsIvr.State.Diagnostics;

/// <summary>Counts the round trips of the outbox store it wraps.</summary>
public sealed class CountingOutboxStore(IOutboxStore inner, StorageCounters counters) : IOutboxStore
{
    public Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        counters.OutboxOperation();
        return inner.AddAsync(entry, cancellationToken);
    }

    public Task<OutboxEntry?> GetAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        counters.OutboxOperation();
        return inner.GetAsync(transactionId, cancellationToken);
    }

    public Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        counters.OutboxOperation();
        return inner.UpdateAsync(entry, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<OutboxStatus> statuses, CancellationToken cancellationToken = default)
    {
        counters.OutboxOperation();
        return inner.ListAsync(statuses, cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEntry>> ListForCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        counters.OutboxOperation();
        return inner.ListForCallAsync(callId, cancellationToken);
    }
}
