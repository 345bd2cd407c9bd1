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
        var commit = CommitOrderIn(message);
        var escalation = new Escalation
        {
            EscalationId = EscalationMessages.StableId(EscalationReason.DeadLettered, message.MessageId),
            Reason = EscalationReason.DeadLettered,
            Detail = $"{message.Subject} message {message.MessageId} could not be processed ({reason}{(description is null ? "" : ": " + description)}). "
                     + $"Its body is attached in Notes{(numbersShown ? "" : " with phone numbers masked")}; "
                     + "once the cause is fixed it can be sent again with the same message id.",
            CallId = message.CorrelationId ?? commit?.CallId,
            TransactionId = message.Subject == Orders.CommitOrder.Subject ? message.MessageId : null,
            // A dead commit names its order and customer, so the ticket says which order to check and with whom.
            OrderId = commit?.OrderNumber,
            ContactId = commit?.ContactId,
            Step = message.Subject,
            RaisedAt = time.GetUtcNow(),
            Notes = body.Length <= 4000 ? body : body[..4000] + "…",
        };
        await queue.SendAsync(EscalationMessages.ToWorkMessage(escalation), cancellationToken);
        Log.Escalated(logger, Redact.Id(message.MessageId), message.Subject, reason);
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
