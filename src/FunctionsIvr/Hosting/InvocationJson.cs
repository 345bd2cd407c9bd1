using System.Text.Json;

namespace FunctionsIvr.Hosting;

/// <summary>
/// JSON settings for what goes back to the Functions host: names exactly as written (no camelCase policy, which
/// would rename binding keys the host looks up verbatim).
/// </summary>
internal static class InvocationJson
{
    public const string ContentType = "application/json";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = null,
        DictionaryKeyPolicy = null,
    };

    /// <summary>The property <paramref name="name"/> of an object, ignoring case (the host's serializer and ours may differ in casing).</summary>
    public static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty(name, out value)) return true;
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// A string the host JSON-encoded once more (<c>"\"abc\""</c>) decoded back to <c>abc</c>; any other string as is.
    /// </summary>
    public static string Unwrap(string text)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(text) ?? text;
            }
            catch (JsonException)
            {
                return text;
            }
        }
        return text;
    }

    /// <summary>A scalar as text: strings unwrapped, numbers and booleans as written; null for null, objects and arrays.</summary>
    public static string? ScalarText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Unwrap(element.GetString()!),
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>A date with or without an offset; one without is taken as UTC (the host writes UTC times).</summary>
    public static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
