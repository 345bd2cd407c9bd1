namespace FunctionsIvr.DemoErp.Data;

public sealed record TopProduct(
    string ProductCode, string Name, string Unit, decimal TotalQuantity, int OrderCount, DateTimeOffset? LastOrderedAt, decimal Price, string Currency);

public sealed record Recommendation(string ProductCode, string Name, string Unit, decimal Price, string Currency, string Reason);

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

    /// <summary>Only contacts of this segment see it; everyone when null.</summary>
    public string? Segment { get; init; }
}

public sealed record Complaint
{
    public required string Id { get; init; }
    public required string Number { get; init; }
    public required string ContactId { get; init; }
    public string? OrderNumber { get; init; }
    public required string Status { get; init; }
    public required string Subject { get; init; }
    public DateTimeOffset OpenedAt { get; init; }
    public string? AssignedTo { get; init; }
}
