using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsIvr.Erp;

/// <summary>
/// Reads the contract's instants as RFC 3339 has them, which allows a lower-case <c>t</c> and <c>z</c>
/// (<c>2025-01-15t10:00:00z</c>, section 5.6); System.Text.Json's own reading takes upper case only, and one such
/// instant made a whole order list unreadable. Written as before (ISO 8601, upper case).
/// </summary>
internal sealed class Rfc3339DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TryGetDateTimeOffset(out var value)) return value;
        // Only the two letters RFC 3339 lets be either case; the rest is checked as strictly as before.
        var upper = Encoding.UTF8.GetBytes("\"" + reader.GetString()!.Replace('t', 'T').Replace('z', 'Z') + "\"");
        var again = new Utf8JsonReader(upper);
        again.Read();
        return again.TryGetDateTimeOffset(out value) ? value : throw new JsonException("Not an RFC 3339 instant.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
