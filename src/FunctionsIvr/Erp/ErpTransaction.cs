using System.Text.Json.Serialization;

namespace FunctionsIvr.Erp;

/// <summary>Phase one of an order: the ERP validates and reserves stock until <see cref="PreparedTransaction.ExpiresAt"/>.</summary>
public sealed record PrepareTransactionRequest
{
    public required string ContactId { get; init; }
    public required IReadOnlyList<OrderLineRequest> Lines { get; init; }
    public string? CallId { get; init; }

    /// <summary>How long to hold the reservation; the ERP's default (10 minutes in the reference) when null.</summary>
    public int? TtlSeconds { get; init; }
}

public sealed record PreparedTransaction
{
    public required string TransactionId { get; init; }
    public string Status { get; init; } = TransactionStatuses.Prepared;
    /// <summary>On the ERP's clock: compare it with <see cref="ErpClockAhead"/> added to ours, not with ours alone.</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// How far the ERP's clock was ahead of ours (negative: behind) when its answer arrived, from the answer's HTTP
    /// <c>Date</c> header; null when it carried none (or one that does not parse). <c>Date</c> has whole seconds, so this is
    /// up to a second short, which the margin kept before a commit covers.
    /// </summary>
    [JsonIgnore]
    public TimeSpan? ErpClockAhead { get; init; }

    /// <summary>The number the order will have once committed; safe to read to the caller.</summary>
    public required string OrderNumber { get; init; }
    public decimal Total { get; init; }
    public string Currency { get; init; } = "PLN";
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
    public DateOnly? EstimatedDelivery { get; init; }
}

/// <summary>The answer to commit and abort: the transaction's state, and the order once committed.</summary>
public sealed record TransactionOutcome
{
    public required string TransactionId { get; init; }
    public required string Status { get; init; }
    public Order? Order { get; init; }
}

public static class TransactionStatuses
{
    public const string Prepared = "prepared";
    public const string Committed = "committed";
    public const string Aborted = "aborted";
    public const string Expired = "expired";
}
