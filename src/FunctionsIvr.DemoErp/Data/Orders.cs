namespace FunctionsIvr.DemoErp.Data;

public sealed record Order
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string ContactId { get; init; }
    public required string Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<OrderLine> Lines { get; init; }
    public decimal Total { get; init; }
    public string Currency { get; init; } = "PLN";
    public DateOnly? EstimatedDelivery { get; init; }
    public string? TransactionId { get; init; }
    public string? CallId { get; init; }
    public string? Notes { get; init; }
}

public sealed record OrderLine(string ProductCode, string Name, decimal Quantity, string Unit, decimal UnitPrice, decimal LineTotal);

public sealed record OrderLineRequest(string? ProductCode, decimal Quantity);

public sealed record CreateOrderRequest(string? ContactId, IReadOnlyList<OrderLineRequest>? Lines, string? CallId, string? Notes);

public sealed record UpdateOrderRequest(IReadOnlyList<OrderLineRequest>? Lines, string? Status);

public static class OrderStatuses
{
    public const string Confirmed = "confirmed";
    public const string InPreparation = "in_preparation";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Confirmed, InPreparation, Shipped, Delivered, Cancelled };

    /// <summary>Lines may change and the order may be cancelled only before it is picked.</summary>
    public static bool Changeable(string status) => status == Confirmed;
}
