using System.Globalization;
using Azure;
using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Orders;

/// <summary>
/// What the SweepOutbox timer does, one pass at a time, so nothing accepted on the phone is lost:
/// <list type="bullet">
/// <item>Prepared entries untouched for <see cref="OrdersOptions.ResendAfter"/>: the commit message is sent again with the
/// same MessageId (duplicate detection keeps it single) and the entry marked Queued. Unless the caller's turn it was
/// placed in was given up on (its held-turn decision in the call state says "abandoned": the caller heard the apology,
/// not "accepted", and the placement, cut by its time limit, could not withdraw it): then it is withdrawn.</item>
/// <item>Queued entries queued before a <see cref="VolatileWorkQueue"/> started (the in-process queue, after a restart):
/// their message was lost with the process before, so it is sent again with the same MessageId. Entries queued since are
/// in the queue (perhaps waiting for a redelivery) and left alone; with Service Bus, which keeps its messages, Queued
/// entries are never re-sent.</item>
/// <item>Prepared or Queued entries past their expiry (plus <see cref="OrdersOptions.ExpiryGrace"/>): the transaction is
/// aborted in the ERP (idempotent), escalated as CommitFailed and marked Aborted; if the ERP says it was committed after
/// all, the entry is marked Committed instead.</item>
/// <item>Committed, Failed and Aborted entries are closed and left alone: rows are kept as the record of what happened
/// (removing old rows is a retention job, not the sweep's).</item>
/// </list>
/// A failure on one entry is logged and the pass goes on; the next pass tries it again.
/// </summary>
public sealed class OutboxSweeper(
    IOutboxStore outbox, IWorkQueue queue, ErpClient erp, CommitOrderProcessor commits, TimeProvider time, IOptions<OrdersOptions> options,
    ILogger<OutboxSweeper> logger, VolatileWorkQueue? volatileQueue = null, ICallStateStore? callState = null)
{
    private static readonly OutboxStatus[] Open = [OutboxStatus.Prepared, OutboxStatus.Queued];

    public async Task<OutboxSweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        var entries = await outbox.ListAsync(Open, cancellationToken);
        var result = new OutboxSweepResult();
        foreach (var entry in entries)
        {
            var now = time.GetUtcNow();
            try
            {
                if (now >= entry.ExpiresAt + settings.ExpiryGrace)
                {
                    result = await ExpireAsync(entry, result, cancellationToken);
                }
                else if (entry.Status == OutboxStatus.Prepared && now - LastTouched(entry) >= settings.ResendAfter)
                {
                    result = await TurnGivenUpOnAsync(entry, now, cancellationToken) switch
                    {
                        true => await WithdrawAsync(entry, result, cancellationToken),
                        false => await ResendAsync(entry, result, cancellationToken),
                        null => result with { Skipped = result.Skipped + 1 },
                    };
                }
                else if (volatileQueue is not null && entry.Status == OutboxStatus.Queued && LastTouched(entry) < volatileQueue.StartedAt)
                {
                    result = await ResendLostAsync(entry, volatileQueue.StartedAt, result, cancellationToken);
                }
                else if (entry.Status == OutboxStatus.Queued && now - LastTouched(entry) >= settings.RecommitAfter)
                {
                    result = await RecommitAsync(entry, now - LastTouched(entry), result, cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One entry must not stop the pass; it stays open and the next pass tries it again.
                Log.SweepEntryFailed(logger, e, Redact.Id(entry.TransactionId), entry.Status);
                result = result with { Skipped = result.Skipped + 1 };
            }
        }

        Log.Swept(logger, entries.Count, result.Resent, result.Recommitted, result.Aborted, result.Committed, result.Skipped);
        return result;
    }

    private static DateTimeOffset LastTouched(OutboxEntry entry) => entry.UpdatedAt > entry.PreparedAt ? entry.UpdatedAt : entry.PreparedAt;

    private async Task<OutboxSweepResult> ResendAsync(OutboxEntry entry, OutboxSweepResult result, CancellationToken cancellationToken)
    {
        try
        {
            await SendCommitAsync(entry, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The entry stays Prepared and the next pass tries again; the attempt is recorded for whoever looks at it.
            Log.ResendFailed(logger, e, Redact.Id(entry.TransactionId), entry.SendAttempts + 1);
            await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.SendFailed(time.GetUtcNow(), e.GetType().Name + ": " + e.Message), cancellationToken);
            return result with { Skipped = result.Skipped + 1 };
        }

        await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Queued(time.GetUtcNow()), cancellationToken);
        Log.Resent(logger, Redact.Id(entry.TransactionId), entry.SendAttempts);
        return result with { Resent = result.Resent + 1 };
    }

    /// <summary>
    /// Sends again the commit of an entry queued into an in-process queue that a restart has lost. Marking it queued
    /// again moves it past <paramref name="queueStartedAt"/>, so the next pass leaves it to this queue.
    /// </summary>
    private async Task<OutboxSweepResult> ResendLostAsync(
        OutboxEntry entry, DateTimeOffset queueStartedAt, OutboxSweepResult result, CancellationToken cancellationToken)
    {
        var queuedAt = LastTouched(entry);
        try
        {
            await SendCommitAsync(entry, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Still Queued from before the start, so the next pass tries again.
            Log.ResendFailed(logger, e, Redact.Id(entry.TransactionId), entry.SendAttempts + 1);
            return result with { Skipped = result.Skipped + 1 };
        }

        await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.QueuedAgain(time.GetUtcNow(), queueStartedAt), cancellationToken);
        Log.ResentLostInRestart(logger, Redact.Id(entry.TransactionId), queuedAt, queueStartedAt, entry.SendAttempts);
        return result with { Resent = result.Resent + 1 };
    }

    /// <summary>
    /// Commits a Queued entry whose message stopped moving, as a delivery of it would: the processor marks it Committed,
    /// or Failed and escalated when the ERP refuses it for good; a transient ERP failure throws, and the entry stays
    /// Queued for the next pass.
    /// </summary>
    private async Task<OutboxSweepResult> RecommitAsync(OutboxEntry entry, TimeSpan idle, OutboxSweepResult result, CancellationToken cancellationToken)
    {
        Log.Recommitting(logger, Redact.Id(entry.TransactionId), LastTouched(entry), idle.TotalMinutes);
        var message = CommitOrder.ToWorkMessage(entry.TransactionId, entry.CallId, entry.MessageBody);
        await commits.ProcessAsync(new ReceivedWork(message, entry.SendAttempts + 1, time.GetUtcNow()), cancellationToken);
        return result with { Recommitted = result.Recommitted + 1 };
    }

    /// <summary>
    /// Whether the held-turn decision of the turn the entry was placed in says the caller heard the apology. Only a
    /// Prepared entry asks: one queued was let stand first. No decision (the turn was never held, or nobody gave it up)
    /// is no give-up. Null when the call state cannot answer: the entry waits for the next pass rather than be committed
    /// on a guess, until its reservation nears expiry; then it is re-sent as before, so an order the caller may have
    /// heard accepted is not lost to a store that cannot say.
    /// </summary>
    private async Task<bool?> TurnGivenUpOnAsync(OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entry.Turn is not { } turn || callState is null || entry.CallId.Length == 0) return false;
        using var timeout = new CancellationTokenSource(DecisionReadTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await HeldTurns.WasGivenUpAsync(callState, entry.CallId, turn, linked.Token);
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e) || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var waits = entry.ExpiresAt - now > DecisionUnreadableWaitsWhile(options.Value);
            Log.DecisionUnreadable(logger, e, Redact.Id(entry.TransactionId), turn, StorageFailures.Status(e),
                waits ? "left for the next pass" : "re-sent, its reservation expires soon");
            return waits ? null : false;
        }
    }

    private static readonly TimeSpan DecisionReadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Three passes' worth of re-send time before the reservation expires.</summary>
    private static TimeSpan DecisionUnreadableWaitsWhile(OrdersOptions settings) => settings.ResendAfter * 3;

    /// <summary>Closed first, so nothing commits it from then on; then aborted in the ERP. A commit that got there first stands.</summary>
    private async Task<OutboxSweepResult> WithdrawAsync(OutboxEntry entry, OutboxSweepResult result, CancellationToken cancellationToken)
    {
        var closed = await OutboxChanges.ApplyAsync(outbox, entry,
            OutboxChanges.Closed(OutboxStatus.Aborted, time.GetUtcNow(), "withdrawn: the caller's turn was given up on, they heard the apology, not that the order was accepted"),
            cancellationToken);
        if (closed?.Status == OutboxStatus.Committed) return result with { Committed = result.Committed + 1 };
        if (await ErpAborts.AbortAsync(erp, entry.TransactionId, cancellationToken))
        {
            Log.FoundCommitted(logger, Redact.Id(entry.TransactionId));
            if (closed is not null) await OutboxChanges.ApplyAsync(outbox, closed, OutboxChanges.Committed(time.GetUtcNow()), cancellationToken);
            return result with { Committed = result.Committed + 1 };
        }

        Log.WithdrawnGivenUp(logger, Redact.Id(entry.TransactionId), Redact.Id(entry.CallId), entry.Turn ?? 0);
        return result with { Aborted = result.Aborted + 1 };
    }

    private Task SendCommitAsync(OutboxEntry entry, CancellationToken cancellationToken) =>
        queue.SendAsync(CommitOrder.ToWorkMessage(entry.TransactionId, entry.CallId, entry.MessageBody), cancellationToken);

    private async Task<OutboxSweepResult> ExpireAsync(OutboxEntry entry, OutboxSweepResult result, CancellationToken cancellationToken)
    {
        if (await ErpAborts.AbortAsync(erp, entry.TransactionId, cancellationToken)) return await CommittedAfterAllAsync(entry, result, cancellationToken);

        var detail = string.Create(CultureInfo.InvariantCulture,
            $"Order {entry.OrderNumber} was prepared at {entry.PreparedAt:u} but not committed before its reservation expired at {entry.ExpiresAt:u} ({entry.Status}, {entry.SendAttempts} send(s){(entry.LastError is null ? "" : ", last error: " + entry.LastError)}); it was aborted.");
        var contact = await CommitFailedEscalations.TryGetContactAsync(erp, entry.ContactId, cancellationToken);
        var escalation = CommitFailedEscalations.Create(
            entry.TransactionId, entry.CallId, entry.ContactId, entry.OrderNumber, detail, contact, time.GetUtcNow());
        await queue.SendAsync(EscalationMessages.ToWorkMessage(escalation), cancellationToken);
        await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Closed(OutboxStatus.Aborted, time.GetUtcNow(), detail), cancellationToken);
        Log.Expired(logger, Redact.Id(entry.TransactionId), Redact.Id(entry.OrderNumber));
        return result with { Aborted = result.Aborted + 1 };
    }

    private async Task<OutboxSweepResult> CommittedAfterAllAsync(OutboxEntry entry, OutboxSweepResult result, CancellationToken cancellationToken)
    {
        await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Committed(time.GetUtcNow()), cancellationToken);
        Log.FoundCommitted(logger, Redact.Id(entry.TransactionId));
        return result with { Committed = result.Committed + 1 };
    }
}

/// <summary>What one sweep did: commit messages re-sent, expired transactions aborted and escalated, entries found
/// committed in the ERP, entries whose commit the sweep ran itself (committed, or refused and escalated), and entries that
/// failed this time (tried again next pass).</summary>
public sealed record OutboxSweepResult(int Resent = 0, int Aborted = 0, int Committed = 0, int Skipped = 0, int Recommitted = 0);
