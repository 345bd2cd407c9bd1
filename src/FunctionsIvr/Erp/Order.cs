namespace FunctionsIvr.Erp;

public sealed record Order
{
    public required string Id { get; init; }

    /// <summary>The number the customer and the invoices use, e.g. <c>ZS/2025/000123</c>.</summary>
    public required string Number { get; init; }
    public required string ContactId { get; init; }

    /// <summary><see cref="OrderStatuses"/>; unknown values are kept as sent.</summary>
    public required string Status { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public IReadOnlyList<OrderLine> Lines { get; init; } = [];
    public decimal Total { get; init; }
    public string Currency { get; init; } = "PLN";
    public DateOnly? EstimatedDelivery { get; init; }

    /// <summary>The two-phase transaction that created the order, if any.</summary>
    public string? TransactionId { get; init; }
}

public sealed record OrderLine
{
    public required string ProductCode { get; init; }
    public string Name { get; init; } = "";
    public decimal Quantity { get; init; }
    public string Unit { get; init; } = "";
    public decimal UnitPrice { get; init; }
    public decimal LineTotal { get; init; }
}

/// <summary>A line as the phone flow asks for it; the ERP prices it.</summary>
public sealed record OrderLineRequest(string ProductCode, decimal Quantity);

public sealed record CreateOrderRequest
{
    public required string ContactId { get; init; }
    public required IReadOnlyList<OrderLineRequest> Lines { get; init; }

    /// <summary>The platform's UniqueCallId, so the ERP can link the order to the call.</summary>
    public string? CallId { get; init; }
    public string? Notes { get; init; }
}

/// <summary>A change to an order: <see cref="Lines"/> replaces all lines; <see cref="Status"/> <c>cancelled</c> cancels.</summary>
public sealed record UpdateOrderRequest
{
    public IReadOnlyList<OrderLineRequest>? Lines { get; init; }
    public string? Status { get; init; }
}

public static class OrderStatuses
{
    public const string Confirmed = "confirmed";
    public const string InPreparation = "in_preparation";
    public const string Shipped = "shipped";
    public const string Delivered = "delivered";
    public const string Cancelled = "cancelled";

    /// <summary>Orders still on their way: what a caller asking "where is my order" means.</summary>
    public static IReadOnlyList<string> Active { get; } = [Confirmed, InPreparation, Shipped];

    /// <summary>Only confirmed orders may have their lines changed or be cancelled; the ERP answers any other 409 <c>order-not-changeable</c>.</summary>
    public static bool Changeable(string status) => status == Confirmed;
}
