using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Escalations;

/// <summary>Escalation log lines. Ids are passed masked (<see cref="Hosting.Redact"/>); secrets never.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Escalation {EscalationId}: helpdesk answered {Status}, {Receipt}")]
    public static partial void TicketCreated(ILogger logger, string escalationId, int status, string receipt);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Escalation {EscalationId}: e-mail {MessageIdHeader} sent via {Via}")]
    public static partial void EmailSent(ILogger logger, string escalationId, string messageIdHeader, string via);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "Escalation {EscalationId}: WhatsApp message {WhatsAppMessageId} accepted")]
    public static partial void WhatsAppSent(ILogger logger, string escalationId, string whatsAppMessageId);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Escalation {EscalationId}: {Channel} written to {Path}")]
    public static partial void WroteLocalFile(ILogger logger, string escalationId, EscalationChannel channel, string path);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Debug, Message = "Escalation {EscalationId}: {Channel} already handled in this process ({Outcome}), not sent again")]
    public static partial void AlreadyHandled(ILogger logger, string escalationId, EscalationChannel channel, string outcome);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "Escalation {EscalationId}: {Channel} failed ({Kind}), falling back to {Fallback}: {Reason}")]
    public static partial void FallingBack(ILogger logger, string escalationId, EscalationChannel channel, string kind, EscalationChannel fallback, string reason);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Error, Message = "Escalation {EscalationId}: nobody was notified personally; only the ticket carries it")]
    public static partial void NobodyNotified(ILogger logger, string escalationId);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning, Message = "Escalation {EscalationId}: {Channel} failed transiently on delivery {DeliveryCount}, will be retried: {Reason}")]
    public static partial void TransientFailure(ILogger logger, string escalationId, EscalationChannel channel, int deliveryCount, string reason);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Error, Message = "Escalation {EscalationId}: the helpdesk rejected the ticket for good; the message will be dead-lettered: {Reason}")]
    public static partial void TicketRejected(ILogger logger, string escalationId, string reason);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Information, Message = "Escalation {EscalationId} ({Reason}) delivered: ticket {TicketReceipt}, notified by {NotifiedBy}")]
    public static partial void Dispatched(ILogger logger, string escalationId, EscalationReason reason, string ticketReceipt, string notifiedBy);

    [LoggerMessage(EventId = 6020, Level = LogLevel.Error, Message = "Escalation message {MessageId} (delivery {DeliveryCount}) is malformed and can never be sent: {Reason}")]
    public static partial void Malformed(ILogger logger, string messageId, int deliveryCount, string reason);
}
