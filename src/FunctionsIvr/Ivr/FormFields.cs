using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace FunctionsIvr.Ivr;

/// <summary>
/// Reads one field out of a form body already in memory (x-www-form-urlencoded or multipart/form-data).
/// Synchronous and allocation-light on purpose: the body is capped, and the framework form binding is not used.
/// </summary>
internal static class FormFields
{
    /// <summary>The multipart boundary from the Content-Type, or from the body's first line when the header is missing or wrong.</summary>
    public static string? MultipartBoundary(string? contentType, ReadOnlySpan<byte> body)
    {
        if (MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).ToString();
            if (boundary.Length > 0) return boundary;
        }

        if (!body.StartsWith("--"u8)) return null;
        var line = body[2..];
        var end = line.IndexOfAny((byte)'\r', (byte)'\n');
        if (end <= 0 || end > 200) return null;
        return Encoding.UTF8.GetString(line[..end]).TrimEnd();
    }

    public static string? FromUrlEncoded(ReadOnlySpan<byte> body, string name)
    {
        var fields = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        return fields.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
    }

    public static string? FromMultipart(ReadOnlySpan<byte> body, string boundary, string name)
    {
        var delimiter = Encoding.UTF8.GetBytes("--" + boundary);
        var position = NextDelimiter(body, delimiter, 0);
        while (position >= 0)
        {
            var afterDelimiter = position + delimiter.Length;
            var rest = body[afterDelimiter..];
            if (rest.StartsWith("--"u8)) return null;

            var lineEnd = rest.IndexOf((byte)'\n');
            if (lineEnd < 0) return null;
            var partStart = afterDelimiter + lineEnd + 1;

            var next = NextDelimiter(body, delimiter, partStart);
            if (next < 0) return null;

            var part = body[partStart..TrimLineBreak(body, partStart, next)];
            if (TrySplitPart(part, out var headers, out var content) && HasName(headers, name))
            {
                return Encoding.UTF8.GetString(content);
            }

            position = next;
        }

        return null;
    }

    /// <summary>A delimiter counts only at the start of the body or of a line.</summary>
    private static int NextDelimiter(ReadOnlySpan<byte> body, byte[] delimiter, int from)
    {
        while (from <= body.Length - delimiter.Length)
        {
            var found = body[from..].IndexOf(delimiter);
            if (found < 0) return -1;
            var index = from + found;
            if (index == 0 || body[index - 1] == (byte)'\n') return index;
            from = index + 1;
        }

        return -1;
    }

    /// <summary>The line break before a delimiter belongs to the delimiter, not to the content.</summary>
    private static int TrimLineBreak(ReadOnlySpan<byte> body, int start, int delimiterIndex)
    {
        var end = delimiterIndex;
        if (end > start && body[end - 1] == (byte)'\n') end--;
        if (end > start && body[end - 1] == (byte)'\r') end--;
        return end;
    }

    private static bool TrySplitPart(ReadOnlySpan<byte> part, out ReadOnlySpan<byte> headers, out ReadOnlySpan<byte> content)
    {
        var crlf = part.IndexOf("\r\n\r\n"u8);
        var lf = part.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf <= lf))
        {
            headers = part[..crlf];
            content = part[(crlf + 4)..];
            return true;
        }

        if (lf >= 0)
        {
            headers = part[..lf];
            content = part[(lf + 2)..];
            return true;
        }

        headers = default;
        content = default;
        return false;
    }

    private static bool HasName(ReadOnlySpan<byte> headers, string name)
    {
        foreach (var line in Encoding.UTF8.GetString(headers).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line.AsSpan(0, colon).Trim().Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase)) continue;

            if (ContentDispositionHeaderValue.TryParse(line[(colon + 1)..].Trim(), out var disposition)
                && HeaderUtilities.RemoveQuotes(disposition.Name).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
