using System.Security.Cryptography;
using System.Text;
using FunctionsIvr.Escalations;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Work.DeadLetters;

/// <summary>
/// Turns work that could not be done into an escalation with its full context, so nothing is dropped silently.
/// A dead-lettered escalation cannot escalate again (that would loop): it is logged as Critical with everything a
/// person needs, for the alert on that log to page someone.
/// </summary>
public sealed partial class DeadLetterProcessor(
    string queueName, IWorkQueue queue, TimeProvider time, IOptions<EscalationOptions> escalationOptions, ILogger<DeadLetterProcessor> logger)
    : IWorkProcessor
{
    /// <summary>Escalation notes are cut here, so a large body cannot swell a ticket or an e-mail.</summary>
    private const int MaxNotesLength = 4000;

    public string QueueName { get; } = queueName;

    public async Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
    {
        var message = work.Message;
        var reason = work.DeadLetterReason
                     ?? message.ApplicationProperties.GetValueOrDefault(DeadLetterReasons.ReasonProperty)
                     ?? "unknown";
        var description = message.ApplicationProperties.GetValueOrDefault(DeadLetterReasons.ErrorDescriptionProperty);

        if (message.Subject == EscalationMessages.Subject)
        {
            Log.EscalationLost(logger, Redact.Id(message.MessageId), message.CorrelationId ?? "", reason, description ?? "",
                EscalationSummary(message));
            return;
        }

        // The body goes into tickets and e-mails, which show phone numbers only as the caller number display allows;
        // a call record carries the caller's (fromNumber), and any queue's body may carry one.
        var numbersShown = escalationOptions.Value.CallerNumberDisplay == CallerNumberDisplay.Full;
        var body = numbersShown ? message.Body : Redact.PhoneNumbersIn(message.Body);
        var cut = body.Length > MaxNotesLength;
        var commit = CommitOrderIn(message);
        var escalationId = EscalationMessages.StableId(EscalationReason.DeadLettered, KeyOf(message));
        var callId = message.CorrelationId ?? commit?.CallId;
        var escalation = new Escalation
        {
            EscalationId = escalationId,
            Reason = EscalationReason.DeadLettered,
            Detail = $"{message.Subject} message {Redact.Id(message.MessageId)} could not be processed ({reason}{(description is null ? "" : ": " + description)}). "
                     + WhereTheFullMessageIdIs(message, escalationId) + " "
                     + WhatCanBeSentAgain(message.Subject, numbersMasked: body != message.Body, cut) + " "
                     + WhereTheMessageIsKept()
                     + WhereTheWorkCanBeChecked(message.Subject, callId),
            CallId = callId,
            TransactionId = message.Subject == Orders.CommitOrder.Subject && message.MessageId.Length > 0 ? message.MessageId : null,
            // A dead commit names its order and customer, so the ticket says which order to check and with whom.
            OrderId = commit?.OrderNumber,
            ContactId = commit?.ContactId,
            Step = message.Subject,
            RaisedAt = time.GetUtcNow(),
            Notes = cut ? body[..MaxNotesLength] + "…" : body,
        };
        await queue.SendAsync(EscalationMessages.ToWorkMessage(escalation), cancellationToken);
        Log.Escalated(logger, Redact.Id(message.MessageId), message.Subject, reason);
    }

    /// <summary>
    /// The message id, which keeps a redelivered dead letter to one escalation. Service Bus always sets one; a message
    /// without it (a hand-made invocation) still reaches a person, keyed by its subject and body.
    /// </summary>
    private static string KeyOf(WorkMessage message) =>
        !string.IsNullOrWhiteSpace(message.MessageId)
            ? message.MessageId
            : "body-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(message.Subject + "\n" + message.Body)))[..24];

    /// <summary>
    /// The detail shows the message id masked, as the logs do (so it matches their lines); the ticket carries it in
    /// full elsewhere: a commit's is its transaction id, any other's ends the escalation id.
    /// </summary>
    private static string WhereTheFullMessageIdIs(WorkMessage message, string escalationId)
    {
        if (string.IsNullOrWhiteSpace(message.MessageId)) return "It came without a message id.";
        if (message.Subject == Orders.CommitOrder.Subject) return "Its id is masked as in the logs; in full it is the transaction id.";
        if (escalationId.EndsWith("-" + message.MessageId.Trim(), StringComparison.Ordinal)) return "Its id is masked as in the logs; in full it ends the escalation id.";
        // Too long to fit an escalation id, which then carries a hash of it: nowhere else in the ticket has it.
        return $"Its id is masked as in the logs; in full it is {message.MessageId}.";
    }

    private static string WhatCanBeSentAgain(string subject, bool numbersMasked, bool cut)
    {
        if (!numbersMasked && !cut)
        {
            return subject == Orders.CommitOrder.Subject
                ? "Its body is in Notes exactly as sent."
                : "Its body is in Notes exactly as sent: once the cause is fixed it can be sent again as it is, with the same message id.";
        }

        var how = string.Join(" and ", new[] { numbersMasked ? "with phone numbers masked" : null, cut ? $"cut at {MaxNotesLength} characters" : null }.OfType<string>());
        return $"Its body is in Notes {how}, so it cannot be sent again from there.";
    }

    /// <summary>
    /// Service Bus forwards dead letters to the queue this processor empties: once the escalation is sent the message
    /// is completed and gone. The in-process queue keeps every dead letter in memory.
    /// </summary>
    private string WhereTheMessageIsKept() => QueueName == QueueNames.DeadLetters
        ? "Service Bus does not keep the message once this ticket is raised."
        : "The in-process queue keeps the whole message among its dead letters until the app restarts.";

    private static string WhereTheWorkCanBeChecked(string subject, string? callId)
    {
        if (subject == Orders.CommitOrder.Subject)
            // The caller heard "accepted" and the sweep is still committing it: a person placing it again would order twice.
            return " Do not place the order again: its outbox entry keeps the whole commit and its status (on the call log page), and "
                   + "the outbox sweep commits it itself once its messages have stopped, every minute until its reservation expires. "
                   + "If it is still not committed then, the sweep aborts it and raises a failed-commit escalation; that is the one to act on.";
        return callId is null ? "" : " The call log link shows what the call did.";
    }

    private static Orders.CommitOrder? CommitOrderIn(WorkMessage message)
    {
        if (message.Subject != Orders.CommitOrder.Subject) return null;
        try
        {
            return Orders.CommitOrder.Parse(message.Body, message.MessageId);
        }
        catch (Orders.MalformedCommitOrderException)
        {
            // Dead-lettered because it could never be read: the notes carry what there is.
            return null;
        }
    }

    private static string EscalationSummary(WorkMessage message)
    {
        try
        {
            var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
            return $"{escalation.Reason} for call {escalation.CallId} (contact {Redact.Id(escalation.ContactId)}, caller {Redact.Phone(escalation.CallerNumber)}): {escalation.Detail}";
        }
        catch (MalformedEscalationException)
        {
            return "the body is not a readable escalation";
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4501, Level = LogLevel.Warning, Message = "Dead-lettered {Subject} message {MessageId} ({Reason}) escalated to a person")]
        public static partial void Escalated(ILogger logger, string messageId, string subject, string reason);

        [LoggerMessage(EventId = 4502, Level = LogLevel.Critical,
            Message = "An escalation could not be delivered on any channel and was dead-lettered: message {MessageId}, call {CallId}, reason {Reason} {Description}. {Summary}")]
        public static partial void EscalationLost(ILogger logger, string messageId, string callId, string reason, string description, string summary);
    }
}
