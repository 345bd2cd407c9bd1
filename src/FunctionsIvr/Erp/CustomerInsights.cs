namespace FunctionsIvr.Erp;

/// <summary>What a contact buys most: the flow offers "the usual" in one key press.</summary>
public sealed record TopProduct
{
    public required string ProductCode { get; init; }
    public string Name { get; init; } = "";
    public string Unit { get; init; } = "";
    public decimal TotalQuantity { get; init; }
    public int OrderCount { get; init; }
    public DateTimeOffset? LastOrderedAt { get; init; }
    public decimal Price { get; init; }
    public string Currency { get; init; } = "PLN";
}

public sealed record Recommendation
{
    public required string ProductCode { get; init; }
    public string Name { get; init; } = "";
    public string Unit { get; init; } = "";
    public decimal Price { get; init; }
    public string Currency { get; init; } = "PLN";

    /// <summary>Why it is suggested, for the agent's screen (not read to the caller).</summary>
    public string? Reason { get; init; }
}

public sealed record Promotion
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public string? ProductCode { get; init; }
    public decimal? DiscountPercent { get; init; }
    public decimal? PromoPrice { get; init; }
    public string Currency { get; init; } = "PLN";
    public DateOnly ValidFrom { get; init; }
    public DateOnly ValidTo { get; init; }
}

public sealed record Complaint
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string ContactId { get; init; }
    public string? OrderNumber { get; init; }

    /// <summary><see cref="ComplaintStatuses"/>.</summary>
    public required string Status { get; init; }
    public string Subject { get; init; } = "";
    public DateTimeOffset OpenedAt { get; init; }

    /// <summary>PBX object login of the person handling it, if any.</summary>
    public string? AssignedTo { get; init; }
}

public static class ComplaintStatuses
{
    public const string Open = "open";
    public const string Closed = "closed";
}
