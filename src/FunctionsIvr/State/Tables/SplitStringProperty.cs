using System.Globalization;
using System.Text;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// A string longer than one Table property may hold (32 K UTF-16 characters), stored across <c>Name</c>,
/// <c>Name1</c>, <c>Name2</c>… and joined on read. The entity as a whole stays under the 1 MiB limit, which the
/// service enforces. Chunks never split a surrogate pair.
/// </summary>
internal static class SplitStringProperty
{
    internal const int ChunkLength = 32_000;

    /// <summary>Text worth only its start (a log line, an error message), cut to fit one property, marked with "…".</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    public static string? Cut(string? value)
    {
        if (value is null || value.Length <= ChunkLength) return value;
        var length = ChunkLength - 1;
        if (char.IsHighSurrogate(value[length - 1])) length--;
        return string.Concat(value.AsSpan(0, length), "…");
    }

    public static void Write(TableEntity entity, string name, string value)
    {
        var index = 0;
        var start = 0;
        do
        {
            var length = Math.Min(ChunkLength, value.Length - start);
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1])) length--;
            entity[PartName(name, index++)] = value.Substring(start, length);
            start += length;
        }
        while (start < value.Length);
    }

    public static string? Read(TableEntity entity, string name)
    {
        var first = entity.GetString(name);
        if (first is null) return null;
        if (entity.GetString(PartName(name, 1)) is null) return first;

        var text = new StringBuilder(first);
        for (var index = 1; entity.GetString(PartName(name, index)) is { } part; index++)
        {
            text.Append(part);
        }

        return text.ToString();
    }

    private static string PartName(string name, int index) =>
        index == 0 ? name : name + index.ToString(CultureInfo.InvariantCulture);
}
