using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// One operation's answer inside a <c>$batch</c> response (status line, headers, body), as an Azure.Core
/// <see cref="Response"/> so callers read <c>Headers.ETag</c> the usual way.
/// </summary>
internal sealed partial class TableBatchResponse : Response
{
    private readonly List<HttpHeader> _headers;

    private TableBatchResponse(int status, string reasonPhrase, List<HttpHeader> headers, byte[] body)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        _headers = headers;
        ContentStream = new MemoryStream(body, writable: false);
    }

    public override int Status { get; }
    public override string ReasonPhrase { get; }
    public override Stream? ContentStream { get; set; }
    public override string ClientRequestId { get; set; } = "";

    public override void Dispose() => ContentStream?.Dispose();

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        value = _headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = _headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        values = found.Count > 0 ? found : null;
        return values is not null;
    }

    protected override bool ContainsHeader(string name) => TryGetHeader(name, out _);

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers;

    /// <summary>
    /// Reads every <c>application/http</c> part of a (nested) multipart response, in order. Accepts CRLF or LF.
    /// </summary>
    public static IReadOnlyList<TableBatchResponse> ParseAll(string contentType, BinaryData body)
    {
        var results = new List<TableBatchResponse>();
        ReadMultipart(Boundary(contentType), body.ToString(), results);
        return results;
    }

    /// <summary>The zero-based index a failed transaction names in its message, <c>"{index}:…"</c>.</summary>
    public static int? FailedIndex(string? message)
    {
        if (message is null) return null;
        var match = FailedIndexPattern().Match(message);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static void ReadMultipart(string boundary, string text, List<TableBatchResponse> results)
    {
        var delimiter = "--" + boundary;
        var parts = text.Split(delimiter);
        // parts[0] is the preamble; a part starting with "--" is the closing delimiter's epilogue.
        foreach (var rawPart in parts.Skip(1))
        {
            if (rawPart.StartsWith("--", StringComparison.Ordinal)) break;
            var (headers, content) = SplitHead(TrimLeadingLineBreak(rawPart));
            var partType = Header(headers, "Content-Type") ?? "";
            if (partType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
            {
                ReadMultipart(Boundary(partType), content, results);
            }
            else if (partType.StartsWith("application/http", StringComparison.OrdinalIgnoreCase))
            {
                results.Add(ReadHttpResponse(content));
            }
        }
    }

    private static TableBatchResponse ReadHttpResponse(string text)
    {
        var (head, body) = SplitHead(text);
        var lines = head.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new FormatException("A batch response part does not start with an HTTP status line.");
        }

        var headers = lines.Skip(1)
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .Select(p => new HttpHeader(p[0].Trim(), p[1].Trim()))
            .ToList();
        return new TableBatchResponse(status, statusLine.Length > 2 ? statusLine[2] : "", headers, Encoding.UTF8.GetBytes(body.TrimEnd('\r', '\n')));
    }

    /// <summary>Splits at the first empty line into the header block and what follows.</summary>
    private static (string Head, string Body) SplitHead(string text)
    {
        var crlf = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var lf = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (crlf >= 0 && (lf < 0 || crlf < lf)) return (text[..crlf], text[(crlf + 4)..]);
        if (lf >= 0) return (text[..lf], text[(lf + 2)..]);
        return (text, "");
    }

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && string.Equals(line[..colon].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    private static string Boundary(string contentType)
    {
        foreach (var parameter in contentType.Split(';').Skip(1))
        {
            var pair = parameter.Split('=', 2);
            if (pair.Length == 2 && string.Equals(pair[0].Trim(), "boundary", StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].Trim().Trim('"');
            }
        }

        throw new FormatException("The multipart content type has no boundary.");
    }

    private static string TrimLeadingLineBreak(string part) =>
        part.StartsWith("\r\n", StringComparison.Ordinal) ? part[2..] : part.StartsWith('\n') ? part[1..] : part;

    [GeneratedRegex("^(\\d+):")]
    private static partial Regex FailedIndexPattern();
}
