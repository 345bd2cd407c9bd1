namespace FunctionsIvr.State.Tables;

/// <summary>
/// The percent-encoded resource paths, built as strings so the signature covers exactly what goes on the wire.
/// </summary>
internal static class TablePaths
{
    public const string Tables = "/Tables";
    public const string Batch = "/$batch";

    public static string Table(string tableName) => "/" + tableName;

    public static string TableResource(string tableName) => "/Tables('" + tableName + "')";

    public static string Query(string tableName) => "/" + tableName + "()";

    /// <summary><c>/t(PartitionKey='p',RowKey='r')</c>: each key has its <c>'</c> doubled, then is percent-escaped.</summary>
    public static string Entity(string tableName, string partitionKey, string rowKey) =>
        "/" + tableName
        + "(PartitionKey='" + Uri.EscapeDataString(TableKeys.EscapeLiteral(partitionKey))
        + "',RowKey='" + Uri.EscapeDataString(TableKeys.EscapeLiteral(rowKey)) + "')";
}
