using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Entity JSON in the Table service's OData dialect: the types JSON cannot tell apart travel as
/// <c>"Name@odata.type":"Edm.X"</c> beside the value (Int64 as a string, so values above 2^53 survive).
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string EdmInt64 = "Edm.Int64";
    private const string EdmDouble = "Edm.Double";
    private const string EdmDateTime = "Edm.DateTime";
    private const string EdmGuid = "Edm.Guid";
    private const string EdmBinary = "Edm.Binary";

    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the entity as one JSON object on one line (the batch format needs single-line bodies).</summary>
    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity)
        {
            if (value is null || name is "PartitionKey" or "RowKey" or "Timestamp" || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                continue;
            }

            WriteProperty(writer, name, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(name, text);
                break;
            case bool flag:
                writer.WriteBoolean(name, flag);
                break;
            case int or short or byte or sbyte or ushort:
                writer.WriteNumber(name, Convert.ToInt32(value, CultureInfo.InvariantCulture));
                break;
            case long or uint:
                writer.WriteString(name + TypeSuffix, EdmInt64);
                writer.WriteString(name, Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                break;
            case double or float:
                WriteDouble(writer, name, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset moment:
                WriteDateTime(writer, name, moment.UtcDateTime);
                break;
            case DateTime dateTime:
                WriteDateTime(writer, name, dateTime.Kind == DateTimeKind.Local ? dateTime.ToUniversalTime() : DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
                break;
            case Guid guid:
                writer.WriteString(name + TypeSuffix, EdmGuid);
                writer.WriteString(name, guid.ToString("D"));
                break;
            case byte[] bytes:
                writer.WriteString(name + TypeSuffix, EdmBinary);
                writer.WriteBase64String(name, bytes);
                break;
            case BinaryData data:
                writer.WriteString(name + TypeSuffix, EdmBinary);
                writer.WriteBase64String(name, data.ToMemory().Span);
                break;
            case Enum:
                writer.WriteString(name, value.ToString());
                break;
            default:
                // decimal, ulong and friends have no Table type; the caller picks a lossless representation.
                throw new NotSupportedException($"Property '{name}' has type {value.GetType().Name}, which Table Storage cannot store.");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        // Annotated always: an unannotated 2.0 would be written as 2 and read back as Int32.
        writer.WriteString(name + TypeSuffix, EdmDouble);
        if (double.IsNaN(value)) writer.WriteString(name, "NaN");
        else if (double.IsPositiveInfinity(value)) writer.WriteString(name, "Infinity");
        else if (double.IsNegativeInfinity(value)) writer.WriteString(name, "-Infinity");
        else writer.WriteNumber(name, value);
    }

    private static void WriteDateTime(Utf8JsonWriter writer, string name, DateTime utc)
    {
        writer.WriteString(name + TypeSuffix, EdmDateTime);
        writer.WriteString(name, utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
    }

    public static T Read<T>(JsonElement json, ETag headerETag = default) where T : TableEntity, new()
    {
        var entity = new T();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name.EndsWith(TypeSuffix, StringComparison.Ordinal)) continue;
            switch (name)
            {
                case "odata.etag":
                    entity.ETag = new ETag(property.Value.GetString()!);
                    continue;
                case "PartitionKey":
                    entity.PartitionKey = property.Value.GetString() ?? "";
                    continue;
                case "RowKey":
                    entity.RowKey = property.Value.GetString() ?? "";
                    continue;
                case "Timestamp":
                    entity.Timestamp = ParseDateTime(property.Value.GetString()!);
                    continue;
            }

            if (name.StartsWith("odata.", StringComparison.Ordinal)) continue;
            var edmType = json.TryGetProperty(name + TypeSuffix, out var type) ? type.GetString() : null;
            entity[name] = ReadValue(property.Value, edmType);
        }

        if (headerETag != default) entity.ETag = headerETag;
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? edmType)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                if (edmType == EdmDouble) return value.GetDouble();
                if (edmType == EdmInt64) return value.GetInt64();
                var raw = value.GetRawText();
                if (raw.AsSpan().IndexOfAny(".eE") < 0)
                {
                    if (value.TryGetInt32(out var small)) return small;
                    if (value.TryGetInt64(out var large)) return large;
                }

                return value.GetDouble();
            case JsonValueKind.String:
                var text = value.GetString()!;
                return edmType switch
                {
                    EdmInt64 => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                    EdmDouble => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                    EdmDateTime => ParseDateTime(text),
                    EdmGuid => Guid.Parse(text),
                    EdmBinary => Convert.FromBase64String(text),
                    _ => text,
                };
            default:
                return value.GetRawText();
        }
    }

    private static DateTimeOffset ParseDateTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
