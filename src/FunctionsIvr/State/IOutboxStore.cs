namespace FunctionsIvr.State;

/// <summary>
/// The outbox of prepared orders. A seam: in memory locally, Table Storage in Azure. Errors follow Table Storage:
/// <see cref="Azure.RequestFailedException"/> 409 on adding an existing transaction, 412 on an ETag mismatch.
/// </summary>
public interface IOutboxStore
{
    Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default);

    Task<OutboxEntry?> GetAsync(string transactionId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the entry If-Match its ETag; sets the new ETag.</summary>
    Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Entries in one of the given states, for the sweep.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<OutboxStatus> statuses, CancellationToken cancellationToken = default);

    /// <summary>The entries of one call, oldest first, whatever their state: for the call log page.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListForCallAsync(string callId, CancellationToken cancellationToken = default);
}
