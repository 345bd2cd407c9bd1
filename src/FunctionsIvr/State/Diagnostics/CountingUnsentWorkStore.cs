namespace FunctionsIvr.State.Diagnostics;

/// <summary>Counts the round trips of the unsent work store it wraps.</summary>
public sealed class CountingUnsentWorkStore(IUnsentWorkStore inner, StorageCounters counters) : IUnsentWorkStore
{
    public Task ParkAsync(UnsentWork work, CancellationToken cancellationToken = default)
    {
        counters.UnsentWorkOperation();
        return inner.ParkAsync(work, cancellationToken);
    }

    public Task<IReadOnlyList<UnsentWork>> ListAsync(CancellationToken cancellationToken = default)
    {
        counters.UnsentWorkOperation();
        return inner.ListAsync(cancellationToken);
    }

    public Task RemoveAsync(string queueName, string messageId, CancellationToken cancellationToken = default)
    {
        counters.UnsentWorkOperation();
        return inner.RemoveAsync(queueName, messageId, cancellationToken);
    }
}
