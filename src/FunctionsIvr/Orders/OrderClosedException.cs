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
        Reason = $"placed before and is {status}";
    }

    /// <summary>The ERP answered a repeat of the prepare with a reservation it no longer holds (expired or aborted).</summary>
    /// <param name="reservation">What became of it, e.g. <c>already expired (at 2026-11-02 09:40:00Z)</c>.</param>
    public OrderClosedException(string transactionId, string reservation)
        : base($"Transaction {Redact.Id(transactionId)} of this basket is {reservation}; it will not be committed.")
    {
        Reason = "its ERP reservation is " + reservation;
    }

    /// <summary>The outbox entry's status, when the outbox closed it; null when the ERP's reservation is gone.</summary>
    public OutboxStatus? Status { get; }

    /// <summary>Why nothing will commit the basket, for the call log.</summary>
    public string Reason { get; } = "closed without a commit";
}
