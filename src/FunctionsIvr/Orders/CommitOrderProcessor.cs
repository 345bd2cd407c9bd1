using System.Diagnostics.CodeAnalysis;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Orders;

/// <summary>
/// The <c>order-commits</c> queue's processor (the CommitOrder function): phase two of an order taken on the phone.
/// Idempotent: an entry already committed is done, and the ERP commit itself is idempotent on the transaction id, so a
/// duplicate delivery never orders twice; state storage being down does not hold the commit back (the sweep records it
/// later). A transaction the ERP refuses for good (expired, aborted, unknown) is marked
/// Failed and escalated to a person, and the message completes. A transient ERP failure throws, so the message is
/// redelivered and finally dead-lettered.
/// </summary>
public sealed class CommitOrderProcessor(
    ErpClient erp, IOutboxStore outbox, IWorkQueue queue, TimeProvider time, ILogger<CommitOrderProcessor> logger) : IWorkProcessor
{
    public async Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = work.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = Redact.Id(message.MessageId),
            ["CallId"] = Redact.Id(message.CorrelationId),
        });

        CommitOrder command;
        try
        {
            command = CommitOrder.Parse(message.Body, message.MessageId);
        }
        catch (MalformedCommitOrderException e)
        {
            Log.MalformedCommit(logger, Redact.Id(message.MessageId), work.DeliveryCount, e.Reason);
            throw;
        }

        var transactionId = Redact.Id(command.TransactionId);
        OutboxEntry? entry;
        var outboxReadable = true;
        try
        {
            entry = await outbox.GetAsync(command.TransactionId, cancellationToken);
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e))
        {
            // State storage down: the message carries what the commit needs and the ERP commit is idempotent, so the order
            // is not held back (redelivered until it is dead-lettered) for the outbox; the sweep brings the entry up to date.
            Log.OutboxUnreadable(logger, e, transactionId, StorageFailures.Status(e));
            entry = null;
            outboxReadable = false;
        }

        switch (entry?.Status)
        {
            case OutboxStatus.Committed:
                Log.AlreadyCommitted(logger, transactionId);
                return;
            case OutboxStatus.Failed or OutboxStatus.Aborted:
                // Closed and escalated already (by an earlier delivery or the sweep): nothing left that a commit could fix.
                Log.AlreadyClosed(logger, transactionId, entry.Status);
                return;
            case null when outboxReadable:
                // The entry is written before the message is sent, so this should not happen; the caller heard "accepted",
                // so commit anyway: the message carries everything the commit and an escalation need.
                Log.NoOutboxEntry(logger, transactionId);
                break;
        }

        TransactionOutcome outcome;
        try
        {
            outcome = await erp.CommitTransactionAsync(command.TransactionId, cancellationToken);
        }
        catch (ErpException e) when (e.Kind is ErpErrorKind.Rejected or ErpErrorKind.NotFound)
        {
            if (!outboxReadable) ThrowRefusedWhileOutboxUnreadable(transactionId, work.DeliveryCount, e);
            await FailAsync(command, entry, $"The ERP refused to commit order {command.OrderNumber}: {Describe(e)}", cancellationToken);
            return;
        }
        catch (ErpException e)
        {
            Log.CommitTransient(logger, transactionId, work.DeliveryCount, e.Kind);
            throw;
        }

        if (outcome.Status != TransactionStatuses.Committed)
        {
            if (!outboxReadable) ThrowRefusedWhileOutboxUnreadable(transactionId, work.DeliveryCount, null);
            await FailAsync(command, entry, $"The ERP answered the commit of order {command.OrderNumber} with status '{outcome.Status}'.", cancellationToken);
            return;
        }

        if (entry is not null)
        {
            try
            {
                await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Committed(time.GetUtcNow()), cancellationToken);
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e))
            {
                // The order exists; redelivering for the record could only end in a dead letter and a false alarm. The
                // sweep finds it committed (a re-sent message commits idempotently, an expired one answers "committed").
                Log.CommittedNotRecorded(logger, e, transactionId, StorageFailures.Status(e));
            }
        }
        Log.Committed(logger, transactionId, Redact.Id(outcome.Order?.Number ?? command.OrderNumber), work.DeliveryCount);
    }

    /// <summary>
    /// A refusal read without the outbox cannot be told apart from a withdrawal's abort (the caller heard the apology,
    /// and a "place it again" ticket would invite a second order). So the message is delivered again; if storage stays
    /// down past the last delivery, the dead letter's ticket says not to place it again, and the sweep, reading the
    /// entry once storage is back, commits or escalates a Queued entry and leaves a withdrawn one alone.
    /// </summary>
    [DoesNotReturn]
    private void ThrowRefusedWhileOutboxUnreadable(string transactionId, int deliveryCount, ErpException? refusal)
    {
        Log.RefusedWhileOutboxUnreadable(logger, transactionId, deliveryCount);
        throw new InvalidOperationException("The ERP refused the commit while the outbox could not be read; delivered again.", refusal);
    }

    /// <summary>
    /// Reads the entry again (it may have been closed meanwhile), escalates, then marks the entry Failed: if marking fails the message is redelivered and escalates again,
    /// which the stable escalation id turns into the same ticket; the other order could lose the escalation.
    /// </summary>
    private async Task FailAsync(CommitOrder command, OutboxEntry? entry, string detail, CancellationToken cancellationToken)
    {
        if (entry is not null)
        {
            // Closed while the commit was on its way, by a withdrawal (the caller heard the apology) or the sweep: the ERP's
            // refusal is that closing, and a "place it again" escalation would invite a second order.
            entry = await ReadAgainAsync(command.TransactionId, entry, cancellationToken);
            if (entry.Status is OutboxStatus.Aborted or OutboxStatus.Failed or OutboxStatus.Committed)
            {
                Log.AlreadyClosed(logger, Redact.Id(command.TransactionId), entry.Status);
                return;
            }
        }

        var contact = await CommitFailedEscalations.TryGetContactAsync(erp, command.ContactId, cancellationToken);
        var escalation = CommitFailedEscalations.Create(
            command.TransactionId, command.CallId, command.ContactId, command.OrderNumber, detail, contact, time.GetUtcNow());
        await queue.SendAsync(EscalationMessages.ToWorkMessage(escalation), cancellationToken);
        if (entry is not null)
            await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Closed(OutboxStatus.Failed, time.GetUtcNow(), detail), cancellationToken);
        Log.CommitFailed(logger, Redact.Id(command.TransactionId), Redact.Id(command.OrderNumber), Redact.Id(escalation.EscalationId));
    }

    /// <summary>The entry as stored now; the one read before when storage fails, so the escalation still goes out first.</summary>
    private async Task<OutboxEntry> ReadAgainAsync(string transactionId, OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await outbox.GetAsync(transactionId, cancellationToken) ?? entry;
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e))
        {
            Log.OutboxUnreadableBeforeEscalating(logger, e, Redact.Id(transactionId), StorageFailures.Status(e));
            return entry;
        }
    }

    private static string Describe(ErpException e) =>
        e.Problem is { } problem
            ? $"{e.Status} {problem.Title ?? problem.Type}{(problem.Detail is null ? "" : " — " + problem.Detail)}"
            : $"{e.Kind} {e.Status}";
}
