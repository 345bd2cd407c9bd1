namespace FunctionsIvr.DemoErp.Data;

public sealed record Contact
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public string? Company { get; init; }
    public required IReadOnlyList<string> Phones { get; init; }
    public string Segment { get; init; } = "standard";
    public string Language { get; init; } = "pl";
    public bool Blocked { get; init; }
    public AccountManager? AccountManager { get; init; }
}

public sealed record AccountManager
{
    public required string Login { get; init; }
    public required string Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public string? WhatsApp { get; init; }
    public required string PreferredChannel { get; init; }
}

public sealed record ItemPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

public sealed record ItemList<T>(IReadOnlyList<T> Items);
