namespace FunctionsIvr.Erp;

/// <summary>A catalogue item. Prices are net, per <see cref="Unit"/>.</summary>
public sealed record Product
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Unit { get; init; }
    public decimal Price { get; init; }
    public string Currency { get; init; } = "PLN";

    /// <summary>Quantity available to order now (on hand minus reserved), in <see cref="Unit"/>.</summary>
    public decimal Stock { get; init; }
}
