using System.Globalization;
using Azure;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Orders;

/// <summary>
/// Places an order the caller confirmed, without making the caller wait for the ERP to create it:
/// prepare (reserve) in the ERP, write the outbox entry, send <see cref="CommitOrder"/> to <c>order-commits</c>.
/// Once the outbox entry exists the order is accepted: the caller may hear so even when the send fails, because the
/// sweep re-sends it. Repeating the same basket (a repeated callback, a replay on another instance) prepares nothing new:
/// the ERP answers the same transaction to the same Idempotency-Key, the outbox already holds it and duplicate detection
/// drops the second message.
/// When the engine gives up on the caller's turn while this runs (the caller hears the apology, not "accepted"), on this
/// instance or on the one that took the replay of a held turn, the order is withdrawn instead: the outbox entry is
/// closed as Aborted and the ERP transaction aborted, so a person who takes the call over does not find the same order
/// placed behind their back.
/// </summary>
public sealed class OrderPlacement(
    ErpClient erp, IOutboxStore outbox, IWorkQueue queue, TimeProvider time, ErpClock erpClock, IOptions<OrdersOptions> options,
    ILogger<OrderPlacement> logger)
{
    // The withdrawal runs after the call's own cancellation has fired, so it gets its own bound.
    private static readonly TimeSpan WithdrawTimeout = TimeSpan.FromSeconds(10);

    // A reservation with less than this left is not announced: the commit goes through the queue after the caller hears
    // "accepted" and would meet it expired.
    internal static readonly TimeSpan TimeLeftToCommit = TimeSpan.FromSeconds(30);

    /// <param name="turnAbandoned">
    /// True once the caller will not hear this placement's outcome (see <c>CallContext.IsTurnAbandonedAsync</c>: on this
    /// instance, or for a held turn, on the instance that took the replay). Only asks; used when the placement was cut.
    /// </param>
    /// <param name="letStand">
    /// Takes the turn's one decision before the order is let stand (see <c>CallContext.LetTurnStandAsync</c>): false when
    /// the turn was given up on first, so the order is withdrawn; once it answers true, an instance that gives up on the
    /// turn later tells the caller the order was accepted. Without it, <paramref name="turnAbandoned"/> is asked instead.
    /// </param>
    /// <param name="leaveUndo">
    /// For a write cut by the work's time limit on a turn not given up on: leaves the withdrawal to whoever learns whether
    /// the caller hears the failure (see <c>CallContext.TryLeaveUndo</c>); false when the turn was given up on meanwhile,
    /// so it is withdrawn at once. Without it such an entry stays Prepared for the sweep, which commits it unless the
    /// turn's held-turn decision says it was given up on.
    /// </param>
    /// <exception cref="ErpException">
    /// The prepare failed: <see cref="ErpErrorKind.Rejected"/> (out of stock, unknown product…) or a transient kind;
    /// nothing is in the outbox then and the caller must not hear "accepted".
    /// </exception>
    /// <exception cref="OrderClosedException">
    /// This basket was placed before and then withdrawn or refused at commit, or the ERP answered a repeat of its prepare
    /// with a reservation that expired or was aborted.
    /// </exception>
    /// <exception cref="OperationCanceledException">The turn was abandoned; a prepared order was withdrawn.</exception>
    public async Task<PlacedOrder> PlaceAsync(
        OrderBasket basket, CancellationToken cancellationToken = default, Func<Task<bool>>? turnAbandoned = null,
        Func<PlacedOrder, Task<bool>>? letStand = null, Func<Func<Task>, bool>? leaveUndo = null)
    {
        ArgumentNullException.ThrowIfNull(basket);
        var prepared = await erp.PrepareTransactionAsync(
            new PrepareTransactionRequest { ContactId = basket.ContactId, Lines = basket.Lines, CallId = basket.CallId },
            basket.IdempotencyKey,
            cancellationToken);

        OutboxEntry entry;
        try
        {
            entry = await RecordAsync(basket, prepared, cancellationToken);
        }
        catch (OperationCanceledException) when (turnAbandoned is not null)
        {
            // Cut while writing: the store may have applied the write all the same. If it did not, the withdrawal writes
            // the entry closed, so a repeat of this confirmation (the ERP replays the same transaction) is not accepted.
            Func<Task> withdraw = () => WithdrawAsync(prepared.TransactionId, basket.CallId, NewEntry(basket, prepared));
            if (await turnAbandoned()) await withdraw();
            // Cut by the work's own time limit: the caller may yet hear this order accepted from a replay elsewhere, so
            // the withdrawal waits until the turn is answered with this failure or given up on.
            else if (leaveUndo is not null && !leaveUndo(withdraw)) await withdraw();
            throw;
        }

        if (entry.Status is OutboxStatus.Aborted or OutboxStatus.Failed)
        {
            // A repeat of a placement that was withdrawn, or whose commit was refused: only a person can still place it.
            Log.PlacedAgainButClosed(logger, Redact.Id(entry.TransactionId), Redact.Id(basket.CallId), entry.Status);
            throw new OrderClosedException(entry.TransactionId, entry.Status);
        }

        // The turn's decision comes before the commit is queued: a turn given up on first is withdrawn while its entry
        // is still Prepared, so no commit message can race the withdrawal. An entry left Prepared by a stop right here
        // is sent by the sweep, as after any failed send.
        var abandoned = letStand is not null
            ? !await letStand(new PlacedOrder(entry.TransactionId, entry.OrderNumber, Queued: false))
            : turnAbandoned is not null && await turnAbandoned();
        if (abandoned)
        {
            await WithdrawAsync(entry.TransactionId, basket.CallId);
            throw new OperationCanceledException("The caller's turn was abandoned; the order was withdrawn.", cancellationToken);
        }

        var queued = entry.Status != OutboxStatus.Prepared || await SendAsync(entry, cancellationToken);
        return new PlacedOrder(entry.TransactionId, entry.OrderNumber, queued);
    }

    /// <summary>
    /// The outbox entry is closed first, so neither the commit processor nor the sweep commits it from then on; then the
    /// ERP transaction is aborted. A commit that got there first stands (and is recorded). Whatever fails here is logged:
    /// an entry left open is committed like any other (7007 says so), an ERP reservation left behind expires in the ERP.
    /// </summary>
    /// <param name="ifNeverWritten">The entry to write, closed, when the outbox has none (its write was cut before it landed).</param>
    private async Task WithdrawAsync(string transactionId, string callId, OutboxEntry? ifNeverWritten = null)
    {
        var id = Redact.Id(transactionId);
        using var timeout = new CancellationTokenSource(WithdrawTimeout, time);
        try
        {
            var entry = await outbox.GetAsync(transactionId, timeout.Token);
            if (entry is null && ifNeverWritten is not null) entry = await AddClosedAsync(ifNeverWritten, timeout.Token);
            if (entry is not null)
            {
                entry = await OutboxChanges.ApplyAsync(outbox, entry,
                    OutboxChanges.Closed(OutboxStatus.Aborted, time.GetUtcNow(), "withdrawn: the caller heard the apology, not that the order was accepted"),
                    timeout.Token);
                if (entry?.Status == OutboxStatus.Committed)
                {
                    Log.WithdrawnTooLate(logger, id, Redact.Id(callId));
                    return;
                }
            }

            if (await ErpAborts.AbortAsync(erp, transactionId, timeout.Token))
            {
                await CommittedAfterAllAsync(entry, timeout.Token);
                Log.WithdrawnTooLate(logger, id, Redact.Id(callId));
                return;
            }

            Log.Withdrawn(logger, id, Redact.Id(callId));
        }
        catch (Exception e) when (e is ErpException || StorageFailures.IsStorageFailure(e) || e is OperationCanceledException)
        {
            Log.WithdrawFailed(logger, e, id, Redact.Id(callId));
        }
    }

    /// <summary>
    /// Writes <paramref name="entry"/> already closed as withdrawn; null when that is done. The entry the cut write was
    /// carrying when it landed after all (409) is returned, to be closed like any other.
    /// </summary>
    private async Task<OutboxEntry?> AddClosedAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        entry.Status = OutboxStatus.Aborted;
        entry.UpdatedAt = time.GetUtcNow();
        entry.LastError = "withdrawn: the caller heard the apology, not that the order was accepted";
        try
        {
            await outbox.AddAsync(entry, cancellationToken);
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await outbox.GetAsync(entry.TransactionId, cancellationToken);
        }
    }

    private async Task CommittedAfterAllAsync(OutboxEntry? entry, CancellationToken cancellationToken)
    {
        if (entry is not null) await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Committed(time.GetUtcNow()), cancellationToken);
    }

    /// <summary>The outbox entry of a prepared basket, waiting for its commit to be queued.</summary>
    private OutboxEntry NewEntry(OrderBasket basket, PreparedTransaction prepared)
    {
        var now = time.GetUtcNow();
        var command = new CommitOrder(prepared.TransactionId, basket.CallId, basket.ContactId, prepared.OrderNumber, now);
        return new OutboxEntry(prepared.TransactionId)
        {
            CallId = basket.CallId,
            Turn = basket.Turn,
            ContactId = basket.ContactId,
            OrderNumber = prepared.OrderNumber,
            Total = prepared.Total,
            Currency = prepared.Currency,
            Status = OutboxStatus.Prepared,
            MessageBody = command.ToJson(),
            PreparedAt = now,
            // On our clock, like everything else in the outbox: the sweep compares it with ours.
            ExpiresAt = prepared.ExpiresAt - (prepared.ErpClockAhead ?? TimeSpan.Zero),
            UpdatedAt = now,
        };
    }

    /// <summary>Writes the outbox entry; an entry that exists (409) is this basket placed before, so it is read and used.</summary>
    private async Task<OutboxEntry> RecordAsync(OrderBasket basket, PreparedTransaction prepared, CancellationToken cancellationToken)
    {
        var entry = NewEntry(basket, prepared);
        try
        {
            if (NoLongerHeld(prepared) is { } gone)
            {
                // Only a replay can see this (the ERP remembered the key); without an outbox entry nobody was told "accepted".
                if (await outbox.GetAsync(prepared.TransactionId, cancellationToken) is { } earlier) return earlier;
                // Not the ERP saying no (out of stock…): a person can still place the basket, so the caller hears "try later".
                Log.PreparedAlreadyGone(logger, Redact.Id(prepared.TransactionId), Redact.Id(basket.CallId), "already " + gone);
                throw new OrderClosedException(prepared.TransactionId, "already " + gone);
            }

            await outbox.AddAsync(entry, cancellationToken);
            Log.Prepared(logger, Redact.Id(entry.TransactionId), Redact.Id(basket.CallId), Redact.Id(entry.OrderNumber), entry.ExpiresAt);
            return entry;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await outbox.GetAsync(prepared.TransactionId, cancellationToken)
                           ?? throw new InvalidOperationException($"Outbox entry {Redact.Id(prepared.TransactionId)} was reported to exist but cannot be read.", e);
            Log.AlreadyPrepared(logger, Redact.Id(existing.TransactionId), existing.Status);
            return existing;
        }
    }

    /// <summary>
    /// Why the ERP no longer holds this reservation long enough to commit it, or null while it does. A replay of the
    /// prepare may carry the answer the ERP stored when it was new (status "prepared") long after, or just before, its
    /// expiry: the commit would be refused, so the caller must not hear "accepted". An answer without an expiry is taken
    /// as held. The expiry is on the ERP's clock, so the time left is measured on it (see <see cref="ErpClock"/>): a skew
    /// between the clocks would otherwise refuse every order, or accept reservations already gone.
    /// </summary>
    private string? NoLongerHeld(PreparedTransaction prepared)
    {
        if (prepared.Status is TransactionStatuses.Expired or TransactionStatuses.Aborted) return prepared.Status;
        if (prepared.ExpiresAt == default) return null;
        var now = erpClock.Now(prepared.ErpClockAhead);
        if (prepared.ExpiresAt <= now) return string.Create(CultureInfo.InvariantCulture, $"expired (at {prepared.ExpiresAt:u})");
        if (prepared.ExpiresAt - now < TimeLeftToCommit)
            return string.Create(CultureInfo.InvariantCulture, $"about to expire (at {prepared.ExpiresAt:u}, too soon to commit)");
        return null;
    }

    /// <returns>True when the message is on the queue and the entry says so.</returns>
    /// <remarks>Bounded by <see cref="OrdersOptions.SendTimeout"/>: a queue that is down must not keep the caller on holding
    /// prompts, or past them into the fallback, for an order that already stands.</remarks>
    private async Task<bool> SendAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.SendTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await queue.SendAsync(CommitOrder.ToWorkMessage(entry.TransactionId, entry.CallId, entry.MessageBody), linked.Token);
        }
        catch (Exception e)
        {
            // Deliberately broad, cancellation included: the outbox entry is the durable copy and the sweep re-sends
            // it, so whatever went wrong here the caller's order stands and they hear "accepted".
            Log.SendFailed(logger, e, Redact.Id(entry.TransactionId));
            await TryRecordAsync(entry, OutboxChanges.SendFailed(time.GetUtcNow(), e.GetType().Name + ": " + e.Message));
            return false;
        }

        await TryRecordAsync(entry, OutboxChanges.Queued(time.GetUtcNow()));
        return true;
    }

    /// <summary>
    /// Best effort: if recording the send fails the entry stays Prepared and the sweep sends it again, which duplicate
    /// detection drops. Not cut by the call's deadline, so a slow callback does not leave a stale status behind, but
    /// bounded by <see cref="OrdersOptions.SendTimeout"/> too: a store that takes the write and never answers must not keep
    /// the caller on holding prompts, and then into the fallback, for an order that already stands.
    /// </summary>
    private async Task TryRecordAsync(OutboxEntry entry, Func<OutboxEntry, bool> change)
    {
        using var timeout = new CancellationTokenSource(options.Value.SendTimeout, time);
        try
        {
            await OutboxChanges.ApplyAsync(outbox, entry, change, timeout.Token);
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e) || e is OperationCanceledException && timeout.IsCancellationRequested)
        {
            // Storage down counts too (not only an error answer): the order is in the outbox and the caller must hear so.
            Log.StatusNotRecorded(logger, e, Redact.Id(entry.TransactionId), StorageFailures.Status(e));
        }
    }
}

/// <summary>What the caller confirmed on one call. <see cref="Sequence"/> is fixed before the caller was asked, so every
/// repeat of the confirmation carries the same <see cref="IdempotencyKey"/>.</summary>
public sealed record OrderBasket(string CallId, string ContactId, int Sequence, IReadOnlyList<OrderLineRequest> Lines)
{
    /// <summary><c>{callId}:{sequence}</c>: one ERP transaction per call and basket.</summary>
    public string IdempotencyKey => CallId + ":" + Sequence.ToString(CultureInfo.InvariantCulture);

    /// <summary>The caller's turn this placement runs in (see <see cref="OutboxEntry.Turn"/>); null outside a call's turn.</summary>
    public int? Turn { get; init; }
}

/// <param name="Queued">False when the commit message could not be sent yet (the sweep will send it).</param>
public sealed record PlacedOrder(string TransactionId, string OrderNumber, bool Queued);
