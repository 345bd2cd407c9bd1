using Azure;
using FunctionsIvr.State;

namespace FunctionsIvr.Orders;

/// <summary>
/// Moves an outbox entry to its next state under optimistic concurrency. The placement, the commit processor and the
/// sweep may touch one entry at the same moment, so every change is written If-Match the ETag read; on 412 the entry is
/// read again and the change decides afresh whether anything is still to do (another writer may have done it already).
/// </summary>
internal static class OutboxChanges
{
    private const int MaxAttempts = 5;

    /// <param name="change">Changes the entry and returns true, or returns false when it is already where it should be.</param>
    /// <returns>The entry as stored afterwards; null when it no longer exists.</returns>
    public static async Task<OutboxEntry?> ApplyAsync(
        IOutboxStore outbox, OutboxEntry entry, Func<OutboxEntry, bool> change, CancellationToken cancellationToken)
    {
        var current = entry;
        for (var attempt = 1; ; attempt++)
        {
            if (!change(current)) return current;
            try
            {
                await outbox.UpdateAsync(current, cancellationToken);
                return current;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                current = await outbox.GetAsync(current.TransactionId, cancellationToken);
                if (current is null) return null;
            }
        }
    }

    public static Func<OutboxEntry, bool> Queued(DateTimeOffset now) => entry =>
    {
        if (entry.Status != OutboxStatus.Prepared) return false;
        entry.Status = OutboxStatus.Queued;
        entry.SendAttempts++;
        entry.LastError = null;
        entry.UpdatedAt = now;
        return true;
    };

    /// <summary>
    /// A Queued entry sent again because its message was in a queue that a restart lost (queued before
    /// <paramref name="queueStartedAt"/>): still Queued, the send counted. Nothing to do once it was queued since.
    /// </summary>
    public static Func<OutboxEntry, bool> QueuedAgain(DateTimeOffset now, DateTimeOffset queueStartedAt) => entry =>
    {
        if (entry.Status != OutboxStatus.Queued || entry.UpdatedAt >= queueStartedAt) return false;
        entry.SendAttempts++;
        entry.LastError = null;
        entry.UpdatedAt = now;
        return true;
    };

    /// <summary>A send that failed stays Prepared (the sweep re-sends it); the attempt and its error are recorded.</summary>
    public static Func<OutboxEntry, bool> SendFailed(DateTimeOffset now, string error) => entry =>
    {
        if (entry.Status != OutboxStatus.Prepared) return false;
        entry.SendAttempts++;
        entry.LastError = error;
        entry.UpdatedAt = now;
        return true;
    };

    /// <summary>The ERP's word wins: whatever the entry said before, the transaction is an order now.</summary>
    public static Func<OutboxEntry, bool> Committed(DateTimeOffset now) => entry =>
    {
        if (entry.Status == OutboxStatus.Committed) return false;
        entry.Status = OutboxStatus.Committed;
        entry.LastError = null;
        entry.UpdatedAt = now;
        return true;
    };

    /// <summary>Only an entry still waiting for its commit can fail or be aborted; a committed one stays committed.</summary>
    public static Func<OutboxEntry, bool> Closed(OutboxStatus status, DateTimeOffset now, string reason) => entry =>
    {
        if (entry.Status is not (OutboxStatus.Prepared or OutboxStatus.Queued)) return false;
        entry.Status = status;
        entry.LastError = reason;
        entry.UpdatedAt = now;
        return true;
    };
}
