using Azure;

namespace FunctionsIvr.State;

/// <summary>
/// An order accepted on the phone and prepared in the ERP, waiting for its out-of-band commit. Written before
/// the caller hears "accepted", so nothing accepted is lost; the sweep re-sends what never reached the queue.
/// Keyed by the ERP transaction id, which is also the commit's idempotency key and the queue MessageId.
/// </summary>
public sealed class OutboxEntry
{
    public OutboxEntry(string transactionId) => TransactionId = transactionId;

    public string TransactionId { get; }
    public string CallId { get; init; } = "";

    /// <summary>
    /// The caller's turn the order was placed in (the sequence of the callback that carried the confirmation), when known.
    /// A held turn's decision (<c>held-turn-{call}-{turn}</c> in the call state) says whether the caller heard the order
    /// accepted; the sweep reads it before it commits an entry left Prepared.
    /// </summary>
    public int? Turn { get; init; }
    public string ContactId { get; init; } = "";
    public string OrderNumber { get; init; } = "";
    public decimal Total { get; init; }
    public string Currency { get; init; } = "";
    public OutboxStatus Status { get; set; }

    /// <summary>The CommitOrder message body, kept so the sweep can re-send it unchanged.</summary>
    public string MessageBody { get; init; } = "";
    public DateTimeOffset PreparedAt { get; init; }

    /// <summary>When the ERP drops the prepared transaction if it is not committed.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int SendAttempts { get; set; }
    public string? LastError { get; set; }
    public ETag ETag { get; set; }
}

public enum OutboxStatus
{
    /// <summary>Prepared in the ERP; the commit message is not yet known to be queued.</summary>
    Prepared,
    /// <summary>The commit message is on the queue.</summary>
    Queued,
    Committed,
    Aborted,
    /// <summary>The commit failed for good and was escalated to a person.</summary>
    Failed,
}
