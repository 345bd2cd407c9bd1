using System.Text.Json;
using Azure;
using Azure.Core;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Reads Table Storage's error body, <c>{"odata.error":{"code":"…","message":{"value":"…"}}}</c>, which Azure.Core's
/// default parser (looking for <c>{"error":…}</c>) misses; falls back to the <c>x-ms-error-code</c> header.
/// </summary>
public sealed class TablesRequestFailedDetailsParser : RequestFailedDetailsParser
{
    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        ArgumentNullException.ThrowIfNull(response);
        data = null;
        var (code, message) = TryReadODataError(response.Content);
        if (code is null && response.Headers.TryGetValue("x-ms-error-code", out var headerCode))
        {
            code = headerCode;
        }

        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }

    /// <summary>The code and message of an <c>odata.error</c> body; nulls when the body is something else.</summary>
    internal static (string? Code, string? Message) TryReadODataError(BinaryData? content)
    {
        if (content is null || content.ToMemory().IsEmpty) return (null, null);
        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("odata.error", out var odataError))
            {
                return (null, null);
            }

            var code = odataError.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            string? message = null;
            if (odataError.TryGetProperty("message", out var m))
            {
                message = m.ValueKind switch
                {
                    JsonValueKind.String => m.GetString(),
                    JsonValueKind.Object when m.TryGetProperty("value", out var v) => v.GetString(),
                    _ => null,
                };
            }

            return (code, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
