using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Query results page by page. A page may be empty and still carry a continuation (the service stops at 1000
/// rows or 5 s), so paging goes on until neither continuation header comes back. The continuation token is
/// Azure.Data.Tables' <c>"{NextPartitionKey} {NextRowKey}"</c>.
/// </summary>
internal sealed class TableQueryPageable<T>(
    TableServiceContext context, string tableName, string? filter, int? maxPerPage, IReadOnlyList<string>? select, CancellationToken cancellationToken)
    : AsyncPageable<T>(cancellationToken) where T : TableEntity, new()
{
    private const string NextPartitionKeyHeader = "x-ms-continuation-NextPartitionKey";
    private const string NextRowKeyHeader = "x-ms-continuation-NextRowKey";

    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var pageSize = pageSizeHint ?? maxPerPage;
        var token = continuationToken;
        do
        {
            var (nextPartitionKey, nextRowKey) = SplitToken(token);
            using var message = context.CreateMessage(RequestMethod.Get, TablePaths.Query(tableName));
            var uri = message.Request.Uri;
            if (!string.IsNullOrEmpty(filter)) uri.AppendQuery("$filter", filter, escapeValue: true);
            if (select is { Count: > 0 }) uri.AppendQuery("$select", string.Join(',', select), escapeValue: true);
            if (pageSize is { } top) uri.AppendQuery("$top", top.ToString(CultureInfo.InvariantCulture), escapeValue: false);
            if (nextPartitionKey is not null) uri.AppendQuery("NextPartitionKey", nextPartitionKey, escapeValue: true);
            if (nextRowKey is not null) uri.AppendQuery("NextRowKey", nextRowKey, escapeValue: true);

            var response = await context.SendAsync(message, CancellationToken).ConfigureAwait(false);
            if (response.Status != 200) throw TableServiceContext.Failure(response);

            token = JoinToken(response);
            yield return Page<T>.FromValues(ReadEntities(response.Content), token, response);
        }
        while (token is not null);
    }

    private static List<T> ReadEntities(BinaryData content)
    {
        using var document = JsonDocument.Parse(content.ToMemory());
        var entities = new List<T>();
        if (document.RootElement.TryGetProperty("value", out var values))
        {
            foreach (var item in values.EnumerateArray())
            {
                entities.Add(TableEntityJson.Read<T>(item));
            }
        }

        return entities;
    }

    private static string? JoinToken(Response response)
    {
        response.Headers.TryGetValue(NextPartitionKeyHeader, out var partitionKey);
        response.Headers.TryGetValue(NextRowKeyHeader, out var rowKey);
        if (string.IsNullOrEmpty(partitionKey) && string.IsNullOrEmpty(rowKey)) return null;
        return partitionKey + " " + rowKey;
    }

    private static (string? PartitionKey, string? RowKey) SplitToken(string? token)
    {
        if (string.IsNullOrEmpty(token)) return (null, null);
        var space = token.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0) return (token, null);
        var rowKey = token[(space + 1)..];
        return (token[..space], rowKey.Length == 0 ? null : rowKey);
    }
}
