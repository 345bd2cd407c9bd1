namespace FunctionsIvr.State.Tables;

/// <summary>
/// Table Storage keeps dates from 1601-01-01 on and rejects <c>default(DateTimeOffset)</c> (year 1), so an unset
/// date is not stored and reads back as <c>default</c>.
/// </summary>
internal static class StoredDate
{
    public static object? From(DateTimeOffset value) => value == default ? null : value;
}
