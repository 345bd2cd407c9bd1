using FunctionsIvr.Hosting;
using FunctionsIvr.State;

namespace FunctionsIvr.Orders;

/// <summary>
/// The basket was placed before on this call and its outbox entry is closed without a commit: withdrawn (the caller heard
/// the apology) or refused for good at commit (escalated to a person). Nothing will commit it, so the caller must not
/// hear "accepted" for it.
/// </summary>
public sealed class OrderClosedException : Exception
{
    public OrderClosedException()
        : this("the order is closed without a commit")
    {
    }

    public OrderClosedException(string message)
        : base(message)
    {
    }

    public OrderClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <remarks>The transaction id is masked in the message, which may be logged.</remarks>
    public OrderClosedException(string transactionId, OutboxStatus status)
        : base($"Transaction {Redact.Id(transactionId)} of this basket is already {status}; it will not be committed.")
    {
        Status = status;
    }

    public OutboxStatus? Status { get; }
}
