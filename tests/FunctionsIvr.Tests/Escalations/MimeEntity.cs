using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Tests.Escalations;

/// <summary>
/// Just enough MIME to read back what SmtpClient wrote: unfolded headers, RFC 2047 encoded words, multipart bodies,
/// quoted-printable and base64 with UTF-8 text.
/// </summary>
internal sealed partial class MimeEntity
{
    private readonly List<KeyValuePair<string, string>> _headers;

    private MimeEntity(List<KeyValuePair<string, string>> headers, string body, IReadOnlyList<MimeEntity> parts)
    {
        _headers = headers;
        Body = body;
        Parts = parts;
    }

    public string Body { get; }

    public IReadOnlyList<MimeEntity> Parts { get; }

    public string MediaType => (Header("Content-Type") ?? "text/plain").Split(';')[0].Trim().ToLowerInvariant();

    public static MimeEntity Parse(string raw)
    {
        var text = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 2)..];

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in head.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (char.IsWhiteSpace(line[0]) && headers.Count > 0)
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        var parts = new List<MimeEntity>();
        var contentType = headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? "";
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && BoundaryPattern().Match(contentType) is { Success: true } match)
        {
            var boundary = "--" + match.Groups[1].Value.Trim('"');
            StringBuilder? current = null;
            foreach (var line in body.Split('\n'))
            {
                if (line == boundary || line == boundary + "--")
                {
                    if (current is not null) parts.Add(Parse(current.ToString()));
                    current = line == boundary ? new StringBuilder() : null;
                    if (current is null) break;
                    continue;
                }

                current?.Append(line).Append('\n');
            }
        }

        return new MimeEntity(headers, body, parts);
    }

    public string? Header(string name) =>
        _headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> Headers(string name) =>
        _headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);

    /// <summary>The header with encoded words (<c>=?utf-8?B?...?=</c>) decoded.</summary>
    public string? DecodedHeader(string name) => Header(name) is { } value ? DecodeWords(value) : null;

    public IEnumerable<MimeEntity> Leaves() => Parts.Count == 0 ? [this] : Parts.SelectMany(p => p.Leaves());

    public string DecodedBody()
    {
        var encoding = (Header("Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();
        var bytes = encoding switch
        {
            "base64" => Convert.FromBase64String(string.Concat(Body.Split('\n').Select(l => l.Trim()))),
            "quoted-printable" => DecodeQuotedPrintable(Body),
            _ => Encoding.Latin1.GetBytes(Body),
        };
        return Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static byte[] DecodeQuotedPrintable(string body)
    {
        var bytes = new List<byte>();
        var lines = body.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd(' ', '\t');
            var softBreak = line.EndsWith('=');
            if (softBreak) line = line[..^1];
            for (var j = 0; j < line.Length; j++)
            {
                if (line[j] == '=' && IsHex(line, j + 1))
                {
                    bytes.Add(Convert.ToByte(line.Substring(j + 1, 2), 16));
                    j += 2;
                }
                else
                {
                    bytes.Add((byte)line[j]);
                }
            }

            if (!softBreak && i < lines.Length - 1) bytes.AddRange("\r\n"u8.ToArray());
        }

        return bytes.ToArray();
    }

    private static bool IsHex(string line, int at) =>
        at + 1 < line.Length && Uri.IsHexDigit(line[at]) && Uri.IsHexDigit(line[at + 1]);

    private static string DecodeWords(string value)
    {
        // White space between two encoded words is not part of the text.
        var joined = AdjacentWordsPattern().Replace(value, "$1$2");
        return EncodedWordPattern().Replace(joined, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups[1].Value);
            var payload = m.Groups[3].Value;
            var bytes = m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromBase64String(payload)
                : DecodeQuotedPrintable(payload.Replace('_', ' '));
            return charset.GetString(bytes);
        });
    }

    [GeneratedRegex("boundary=(\"[^\"]+\"|[^;\\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryPattern();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWordPattern();

    [GeneratedRegex(@"(\?=)\s+(=\?)")]
    private static partial Regex AdjacentWordsPattern();
}
