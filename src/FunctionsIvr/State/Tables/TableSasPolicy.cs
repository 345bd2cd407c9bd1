using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Appends the shared access signature to the query. Per call, not per retry: the URI survives retries, and
/// appending again would repeat the parameters.
/// </summary>
internal sealed class TableSasPolicy(AzureSasCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        foreach (var pair in credential.Signature.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            // The token is already URL-encoded as issued; escaping again would break its signature.
            message.Request.Uri.AppendQuery(
                equals < 0 ? pair : pair[..equals], equals < 0 ? "" : pair[(equals + 1)..], escapeValue: false);
        }
    }
}
