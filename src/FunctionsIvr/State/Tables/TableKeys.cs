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
