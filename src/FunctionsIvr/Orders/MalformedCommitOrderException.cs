using FunctionsIvr.Hosting;

namespace FunctionsIvr.Orders;

/// <summary>A message on <c>order-commits</c> that is not a <see cref="CommitOrder"/>: it can never succeed, so it ends dead-lettered.</summary>
public sealed class MalformedCommitOrderException : Exception
{
    public MalformedCommitOrderException()
        : this("", "the message is malformed")
    {
    }

    public MalformedCommitOrderException(string message)
        : this("", message)
    {
    }

    public MalformedCommitOrderException(string message, Exception innerException)
        : this("", message, innerException)
    {
    }

    /// <remarks>The message is logged on every retry and returned in the host's invocation logs, so the id (the transaction id) is masked in it.</remarks>
    public MalformedCommitOrderException(string messageId, string reason, Exception? innerException = null)
        : base($"Message {Redact.Id(messageId)} on order-commits is not a CommitOrder: {reason}.", innerException)
    {
        MessageId = messageId;
        Reason = reason;
    }

    public string MessageId { get; } = "";

    public string Reason { get; } = "";
}
