namespace FunctionsIvr.DemoErp.Data;

public sealed record PrepareTransactionRequest(string? ContactId, IReadOnlyList<OrderLineRequest>? Lines, string? CallId, int? TtlSeconds);

public sealed record TransactionReference(string? TransactionId);

public sealed record PreparedTransaction
{
    public required string TransactionId { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public required string OrderNumber { get; init; }
    public decimal Total { get; init; }
    public string Currency { get; init; } = "PLN";
    public required IReadOnlyList<OrderLine> Lines { get; init; }
    public DateOnly? EstimatedDelivery { get; init; }
}

public sealed record TransactionOutcome(string TransactionId, string Status, Order? Order);

public static class TransactionStatuses
{
    public const string Prepared = "prepared";
    public const string Committed = "committed";
    public const string Aborted = "aborted";
    public const string Expired = "expired";
}

/// <summary>A prepared order holding stock until <see cref="ExpiresAt"/>; the store's own bookkeeping.</summary>
internal sealed class Transaction
{
    public required string Id { get; init; }
    public required string ContactId { get; init; }
    public required string OrderNumber { get; init; }
    public required IReadOnlyList<OrderLine> Lines { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DateOnly EstimatedDelivery { get; init; }
    public string? CallId { get; init; }
    public string Status { get; set; } = TransactionStatuses.Prepared;
    public string? OrderId { get; set; }

    /// <summary>Commit requests received, repeats of a committed one included (they answer the same order).</summary>
    public int CommitRequests { get; set; }
}
