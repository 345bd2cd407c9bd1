using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Signs each attempt with SharedKeyLite, the scheme Azure.Data.Tables uses. Runs per retry, so every attempt gets
/// a fresh <c>x-ms-date</c> (the service rejects requests older than 15 minutes).
/// </summary>
internal sealed class TableSharedKeyLitePolicy(TableSharedKeyCredential credential, TimeProvider timeProvider)
    : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var date = timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);
        var stringToSign = date + "\n" + CanonicalizedResource(credential.AccountName, message.Request.Uri);
        using var hmac = new HMACSHA256(credential.KeyBytes);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        message.Request.Headers.SetValue("Authorization", $"SharedKeyLite {credential.AccountName}:{signature}");
    }

    /// <summary>
    /// "/" + account + the path exactly as it goes on the wire (still percent-encoded), plus <c>?comp=</c> if present.
    /// Against the emulator the path starts with the account too, so it appears twice; the emulator expects that.
    /// </summary>
    internal static string CanonicalizedResource(string accountName, RequestUriBuilder uri)
    {
        var path = string.IsNullOrEmpty(uri.Path) ? "/" : uri.Path;
        var resource = "/" + accountName + path;
        var comp = QueryValue(uri.Query, "comp");
        return comp is null ? resource : resource + "?comp=" + comp;
    }

    private static string? QueryValue(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            }
        }

        return null;
    }
}
