namespace FunctionsIvr.DemoErp.Data;

/// <summary><see cref="Stock"/> is what can be ordered now: reservations of prepared transactions are already taken off.</summary>
public sealed record Product
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string Unit { get; init; }
    public decimal Price { get; init; }
    public string Currency { get; init; } = "PLN";
    public decimal Stock { get; init; }
}
