using System.Globalization;
using System.Text;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Builds <c>$filter</c> text from an interpolated string, formatting each hole as a typed OData literal: strings
/// quoted with <c>'</c> doubled, <c>123L</c>, <c>datetime'…'</c>, <c>guid'…'</c>, <c>X'…'</c>. Values can never
/// break out of their literal, so caller input is safe in a filter.
/// </summary>
internal static class TableOdataFilter
{
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments().Select(Literal).ToArray();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, arguments);
    }

    public static string Literal(object? value) => value switch
    {
        null => "null",
        string text => "'" + TableKeys.EscapeLiteral(text) + "'",
        char c => "'" + TableKeys.EscapeLiteral(c.ToString()) + "'",
        bool flag => flag ? "true" : "false",
        int or short or byte or sbyte or ushort => Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        long or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L",
        double or float => FormatDouble(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        DateTimeOffset moment => DateTimeLiteral(moment.UtcDateTime),
        DateTime dateTime => DateTimeLiteral(dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : dateTime),
        Guid guid => "guid'" + guid.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexString(bytes) + "'",
        BinaryData data => "X'" + Convert.ToHexString(data.ToMemory().Span) + "'",
        Enum => "'" + TableKeys.EscapeLiteral(value.ToString()!) + "'",
        _ => throw new NotSupportedException($"A {value.GetType().Name} cannot be a Table filter literal."),
    };

    private static string FormatDouble(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        // Without a fraction the service would read an Int32 literal and compare across types.
        return text.AsSpan().IndexOfAny(".EN") < 0 && !text.Contains("Infinity", StringComparison.Ordinal) ? text + ".0" : text;
    }

    private static string DateTimeLiteral(DateTime utc) =>
        new StringBuilder("datetime'")
            .Append(utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
            .Append('\'')
            .ToString();
}
