using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsIvr.State.Tables;

/// <summary>Checks names and keys before they reach a URL, where the service would reject them with a vague 400.</summary>
internal static partial class TableKeys
{
    /// <summary>PartitionKey/RowKey: no <c>/ \ # ?</c>, no control characters; there is no escaping for these.</summary>
    public static void Validate(string key, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                throw new ArgumentException(
                    $"{parameterName} contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}', which Table Storage does not allow in keys.",
                    parameterName);
            }
        }

        if (key.Length > 1024)
        {
            throw new ArgumentException($"{parameterName} is longer than 1 KiB.", parameterName);
        }
    }

    /// <summary>
    /// A key for an id the platform owns (UniqueCallId is opaque: nothing says it never holds a <c>/</c>). An ordinary id
    /// stays as it is, so its rows read the same as before; <c>%</c>, the characters keys forbid and control characters
    /// become <c>%XX</c> (UTF-8); a result over 512 characters keeps its start and ends in <c>%~</c> and a SHA-256 of
    /// the id, a pair no escaped text holds. Different ids never share a key, and a prefix such as <c>callrecord-</c>
    /// stays in front.
    /// </summary>
    public static string ForId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length <= MaxKeyLength && !id.AsSpan().ContainsAny(NeedsEscape)) return id;

        var escaped = new StringBuilder(id.Length + 16);
        Span<byte> utf8 = stackalloc byte[2];
        foreach (var c in id)
        {
            if (!NeedsEscape.Contains(c))
            {
                escaped.Append(c);
                continue;
            }
            // All of them are below U+00A0: one or two UTF-8 bytes.
            var length = Encoding.UTF8.GetBytes([c], utf8);
            foreach (var b in utf8[..length]) escaped.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        if (escaped.Length <= MaxKeyLength) return escaped.ToString();

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        var keep = MaxKeyLength - 2 - hash.Length;
        // The kept start ends on a whole character: not inside a %XX, not between the halves of a surrogate pair.
        if (escaped[keep - 1] == '%') keep -= 1;
        else if (escaped[keep - 2] == '%') keep -= 2;
        else if (char.IsHighSurrogate(escaped[keep - 1])) keep -= 1;
        return escaped.ToString(0, keep) + "%~" + hash;
    }

    /// <summary>512 UTF-16 characters: within the service's 1 KiB whatever the characters.</summary>
    private const int MaxKeyLength = 512;

    /// <summary><c>%</c> (the escape itself), the four characters keys forbid, C0 and C1 controls.</summary>
    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "%/\\#?" + new string(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c).ToArray()));

    public static void ValidateTableName(string tableName)
    {
        ArgumentNullException.ThrowIfNull(tableName);
        if (!TableNamePattern().IsMatch(tableName) || string.Equals(tableName, "tables", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"'{tableName}' is not a valid table name: 3-63 letters and digits, starting with a letter, not 'tables'.",
                nameof(tableName));
        }
    }

    /// <summary>OData string literal content: every <c>'</c> doubled. The caller still percent-escapes the result.</summary>
    public static string EscapeLiteral(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableNamePattern();
}
