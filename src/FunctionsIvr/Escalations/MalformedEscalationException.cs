using FunctionsIvr.Hosting;

namespace FunctionsIvr.Escalations;

/// <summary>
/// An <c>escalations</c> message whose body is not an <see cref="Escalation"/>. It will never succeed; it is thrown
/// (not swallowed) so the message ends in the dead-letter queue where it stays visible.
/// </summary>
public sealed class MalformedEscalationException : Exception
{
    public MalformedEscalationException(string messageId, string reason, Exception? innerException = null)
        : base($"Escalation message {Redact.Id(messageId)} is malformed: {reason}", innerException)
    {
        MessageId = messageId;
        Reason = reason;
    }

    public string MessageId { get; }
    public string Reason { get; }
}
