using Azure;

namespace FunctionsIvr.State.InMemory;

/// <summary>
/// The outbox in process memory with Table Storage semantics: adding an existing transaction fails with 409,
/// an update with a stale ETag with 412 and an update of a missing row with 404. Stores copies.
/// </summary>
public sealed class InMemoryOutboxStore : IOutboxStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, OutboxEntry> entries = new(StringComparer.Ordinal);

    public Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.TransactionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (entries.ContainsKey(entry.TransactionId))
            {
                throw TableStorageErrors.EntityAlreadyExists($"outbox entry {entry.TransactionId}");
            }
            Store(entry);
        }
        return Task.CompletedTask;
    }

    public Task<OutboxEntry?> GetAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(transactionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            return Task.FromResult(entries.TryGetValue(transactionId, out var stored) ? Copy(stored) : null);
        }
    }

    public Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.TransactionId);
        if (entry.ETag == default)
        {
            throw new ArgumentException("The outbox entry has no ETag: read it (or add it) before updating it.", nameof(entry));
        }
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            if (!entries.TryGetValue(entry.TransactionId, out var stored))
            {
                throw TableStorageErrors.ResourceNotFound($"outbox entry {entry.TransactionId}");
            }
            if (entry.ETag != ETag.All && entry.ETag != stored.ETag)
            {
                throw TableStorageErrors.UpdateConditionNotSatisfied($"outbox entry {entry.TransactionId}");
            }
            Store(entry);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<OutboxStatus> statuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return List(e => statuses.Contains(e.Status), cancellationToken);
    }

    public Task<IReadOnlyList<OutboxEntry>> ListForCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callId);
        return List(e => e.CallId == callId, cancellationToken);
    }

    /// <summary>The retention purge: removes closed entries last updated before <paramref name="cutoff"/>, never open ones; the number removed.</summary>
    internal int Purge(DateTimeOffset cutoff)
    {
        lock (gate)
        {
            var due = entries.Values
                .Where(e => e.Status is OutboxStatus.Committed or OutboxStatus.Aborted or OutboxStatus.Failed && e.UpdatedAt < cutoff)
                .Select(e => e.TransactionId)
                .ToList();
            foreach (var transactionId in due) entries.Remove(transactionId);
            return due.Count;
        }
    }

    /// <summary>Copies of the wanted entries, oldest first.</summary>
    private Task<IReadOnlyList<OutboxEntry>> List(Func<OutboxEntry, bool> wanted, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            IReadOnlyList<OutboxEntry> result = entries.Values
                .Where(wanted)
                .OrderBy(e => e.PreparedAt)
                .ThenBy(e => e.TransactionId, StringComparer.Ordinal)
                .Select(Copy)
                .ToList();
            return Task.FromResult(result);
        }
    }

    private void Store(OutboxEntry entry)
    {
        var stored = Copy(entry);
        stored.ETag = TableStorageErrors.NewETag();
        entries[entry.TransactionId] = stored;
        entry.ETag = stored.ETag;
    }

    private static OutboxEntry Copy(OutboxEntry e) => new(e.TransactionId)
    {
        CallId = e.CallId,
        Turn = e.Turn,
        ContactId = e.ContactId,
        OrderNumber = e.OrderNumber,
        Total = e.Total,
        Currency = e.Currency,
        Status = e.Status,
        MessageBody = e.MessageBody,
        PreparedAt = e.PreparedAt,
        ExpiresAt = e.ExpiresAt,
        UpdatedAt = e.UpdatedAt,
        SendAttempts = e.SendAttempts,
        LastError = e.LastError,
        ETag = e.ETag,
    };
}
