using System.Text;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Writes the <c>$batch</c> body: one changeset inside one batch, each operation an HTTP request with an absolute
/// URL and a single-line JSON body, CRLF line endings. Sub-requests carry no Authorization; the outer request does.
/// </summary>
internal static class TableBatchContent
{
    private const string Crlf = "\r\n";

    /// <param name="serviceEndpoint">The service endpoint without query (no SAS in sub-request URLs).</param>
    public static (byte[] Body, string ContentType) Write(
        Uri serviceEndpoint, string tableName, IReadOnlyList<TableTransactionAction> actions, Guid batchId, Guid changesetId)
    {
        var batchBoundary = "batch_" + batchId.ToString("D");
        var changesetBoundary = "changeset_" + changesetId.ToString("D");
        var baseUrl = serviceEndpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var text = new StringBuilder()
            .Append("--").Append(batchBoundary).Append(Crlf)
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append(Crlf)
            .Append(Crlf);

        foreach (var action in actions)
        {
            text.Append("--").Append(changesetBoundary).Append(Crlf)
                .Append("Content-Type: application/http").Append(Crlf)
                .Append("Content-Transfer-Encoding: binary").Append(Crlf)
                .Append(Crlf);
            WriteOperation(text, serviceEndpoint, baseUrl, tableName, action);
        }

        text.Append("--").Append(changesetBoundary).Append("--").Append(Crlf)
            .Append("--").Append(batchBoundary).Append("--").Append(Crlf);
        return (Encoding.UTF8.GetBytes(text.ToString()), "multipart/mixed; boundary=" + batchBoundary);
    }

    private static void WriteOperation(StringBuilder text, Uri endpoint, string baseUrl, string tableName, TableTransactionAction action)
    {
        var entity = action.Entity;
        var (method, url, ifMatch, contentType) = action.ActionType switch
        {
            TableTransactionActionType.Add =>
                ("POST", baseUrl + TablePaths.Table(tableName), null, "application/json;odata=nometadata"),
            TableTransactionActionType.UpdateReplace =>
                ("PUT", EntityUrl(), IfMatch(action), "application/json"),
            TableTransactionActionType.UpdateMerge =>
                ("PATCH", EntityUrl(), IfMatch(action), "application/json"),
            TableTransactionActionType.UpsertReplace => ("PUT", EntityUrl(), null, "application/json"),
            TableTransactionActionType.UpsertMerge => ("PATCH", EntityUrl(), null, "application/json"),
            TableTransactionActionType.Delete => ("DELETE", EntityUrl(), IfMatch(action), null),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.ActionType, "Unknown transaction action."),
        };

        text.Append(method).Append(' ').Append(url).Append(" HTTP/1.1").Append(Crlf)
            .Append("Host: ").Append(endpoint.Authority).Append(Crlf)
            .Append("x-ms-version: ").Append(TableClientOptions.ServiceVersion).Append(Crlf)
            .Append("DataServiceVersion: 3.0").Append(Crlf)
            .Append("Accept: application/json;odata=minimalmetadata").Append(Crlf);
        if (ifMatch is not null) text.Append("If-Match: ").Append(ifMatch).Append(Crlf);
        if (action.ActionType == TableTransactionActionType.Add) text.Append("Prefer: return-no-content").Append(Crlf);
        if (contentType is not null)
        {
            text.Append("Content-Type: ").Append(contentType).Append(Crlf)
                .Append(Crlf)
                .Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append(Crlf);
        }
        else
        {
            text.Append(Crlf);
        }

        string EntityUrl() => baseUrl + TablePaths.Entity(tableName, entity.PartitionKey, entity.RowKey);
    }

    private static string IfMatch(TableTransactionAction action) => action.ETag == default ? "*" : action.ETag.ToString();
}
