namespace FunctionsIvr.Erp;

/// <summary>One page of a list resource (<c>items</c>, <c>page</c> from 1, <c>pageSize</c>, <c>totalCount</c>).</summary>
public sealed record ErpPage<T>
{
    public IReadOnlyList<T> Items { get; init; } = [];
    public int Page { get; init; } = 1;
    public int PageSize { get; init; }

    /// <summary>Null when the ERP does not count.</summary>
    public int? TotalCount { get; init; }
}
