using System.Globalization;
using System.Text;
using System.Text.Json;
using FunctionsIvr.Work;

namespace FunctionsIvr.Hosting;

/// <summary>
/// The Functions host's invocation payload for a non-HTTP trigger: <c>{"Data":{binding: value},"Metadata":{key: value}}</c>.
/// Both dictionaries ignore case. The host JSON-encodes most scalars once more (<c>"MessageId":"\"abc\""</c>,
/// <c>"DeliveryCount":"1"</c>) and may double-encode a string body; the readers here undo that.
/// </summary>
public sealed class InvocationRequest
{
    public InvocationRequest(IEnumerable<KeyValuePair<string, JsonElement>>? data, IEnumerable<KeyValuePair<string, JsonElement>>? metadata)
    {
        Data = ToCaseInsensitive(data);
        Metadata = ToCaseInsensitive(metadata);
    }

    public IReadOnlyDictionary<string, JsonElement> Data { get; }

    public IReadOnlyDictionary<string, JsonElement> Metadata { get; }

    /// <exception cref="InvalidInvocationPayloadException">Not JSON, or not the host's shape.</exception>
    public static InvocationRequest Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return FromRoot(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationPayloadException($"The invocation payload is not valid JSON: {e.Message}", e);
        }
    }

    /// <exception cref="InvalidInvocationPayloadException">Not JSON, or not the host's shape.</exception>
    public static async Task<InvocationRequest> ReadAsync(Stream body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromRoot(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new InvalidInvocationPayloadException($"The invocation payload is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The trigger's body as text: a string value (decoded once more when it is itself a JSON string literal),
    /// the raw JSON of an object or array, or base64-decoded UTF-8 when the binding's dataType is binary.
    /// </summary>
    /// <exception cref="InvalidInvocationPayloadException">The binding is missing, or its binary value is not base64.</exception>
    public string GetBodyText(string bindingName, BindingDataType dataType = BindingDataType.String)
    {
        var value = GetData(bindingName);
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var text = InvocationJson.Unwrap(value.GetString()!);
                if (dataType != BindingDataType.Binary) return text;
                try
                {
                    return Encoding.UTF8.GetString(Convert.FromBase64String(text));
                }
                catch (FormatException e)
                {
                    throw new InvalidInvocationPayloadException($"Data.{bindingName} is declared binary but is not base64.", e);
                }
            case JsonValueKind.Null:
                return "";
            default:
                return value.GetRawText();
        }
    }

    /// <summary>The trigger value of <paramref name="bindingName"/>.</summary>
    /// <exception cref="InvalidInvocationPayloadException">Data has no such binding.</exception>
    public JsonElement GetData(string bindingName)
    {
        ArgumentException.ThrowIfNullOrEmpty(bindingName);
        if (Data.TryGetValue(bindingName, out var value)) return value;
        var present = Data.Count == 0 ? "none" : string.Join(", ", Data.Keys);
        throw new InvalidInvocationPayloadException($"Data has no '{bindingName}' binding (present: {present}).");
    }

    /// <summary>A metadata scalar as text, unwrapped when the host JSON-encoded it; null when absent or not a scalar.</summary>
    public string? GetMetadataString(string key) =>
        Metadata.TryGetValue(key, out var value) ? InvocationJson.ScalarText(value) : null;

    public int? GetMetadataInt32(string key) =>
        int.TryParse(GetMetadataString(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>A metadata date, with or without an offset (without one it is UTC).</summary>
    public DateTimeOffset? GetMetadataDateTime(string key) => InvocationJson.ParseDate(GetMetadataString(key));

    /// <summary>The message's application properties (<c>ApplicationProperties</c>, or the older <c>UserProperties</c>) as text.</summary>
    public IReadOnlyDictionary<string, string> GetApplicationProperties()
    {
        foreach (var key in new[] { "ApplicationProperties", "UserProperties" })
        {
            if (Metadata.TryGetValue(key, out var value) && ReadProperties(value) is { } properties) return properties;
        }
        return new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>
    /// The Service Bus message this invocation carries, as a processor receives it. Only the extension's own keys
    /// are read (a body property promoted into Metadata never overrides them); what is missing gets a neutral value:
    /// DeliveryCount 1, EnqueuedTime from <c>sys.UtcNow</c> or <c>default</c>.
    /// </summary>
    /// <exception cref="InvalidInvocationPayloadException">The body binding is missing or unreadable.</exception>
    public ReceivedWork ToReceivedWork(string queueName, string bindingName, BindingDataType dataType = BindingDataType.String)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        var properties = GetApplicationProperties();
        var message = new WorkMessage
        {
            QueueName = queueName,
            MessageId = GetMetadataString("MessageId") ?? "",
            Subject = NonEmpty(GetMetadataString("Subject")) ?? GetMetadataString("Label") ?? "",
            Body = GetBodyText(bindingName, dataType),
            ContentType = NonEmpty(GetMetadataString("ContentType")) ?? "application/json",
            CorrelationId = NonEmpty(GetMetadataString("CorrelationId")),
            ApplicationProperties = properties,
        };
        var enqueuedTime = GetMetadataDateTime("EnqueuedTimeUtc") ?? GetMetadataDateTime("EnqueuedTime") ?? SystemUtcNow() ?? default;
        return new ReceivedWork(message, GetMetadataInt32("DeliveryCount") ?? 1, enqueuedTime)
        {
            DeadLetterReason = properties.TryGetValue(DeadLetterReasons.ReasonProperty, out var reason) ? NonEmpty(reason) : null,
        };
    }

    /// <summary>The timer trigger's value.</summary>
    /// <exception cref="InvalidInvocationPayloadException">The binding is missing or not a timer.</exception>
    public TimerInfo GetTimerInfo(string bindingName = "timer") => TimerInfo.FromJson(GetData(bindingName));

    private DateTimeOffset? SystemUtcNow() =>
        Metadata.TryGetValue("sys", out var sys) && InvocationJson.TryGetProperty(sys, "UtcNow", out var utcNow)
            ? InvocationJson.ParseDate(InvocationJson.ScalarText(utcNow))
            : null;

    private static Dictionary<string, string>? ReadProperties(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(InvocationJson.Unwrap(value.GetString()!));
                return ReadProperties(inner.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }
        if (value.ValueKind != JsonValueKind.Object) return null;
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => property.Value.GetRawText(),
            };
            if (text is not null) properties[property.Name] = text;
        }
        return properties;
    }

    private static InvocationRequest FromRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationPayloadException($"The invocation payload is a JSON {root.ValueKind}, not an object with Data and Metadata.");
        }
        Dictionary<string, JsonElement>? data = null;
        Dictionary<string, JsonElement>? metadata = null;
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "Data", StringComparison.OrdinalIgnoreCase))
            {
                data = ReadSection(property.Value, "Data");
            }
            else if (string.Equals(property.Name, "Metadata", StringComparison.OrdinalIgnoreCase))
            {
                metadata = ReadSection(property.Value, "Metadata");
            }
        }
        if (data is null) throw new InvalidInvocationPayloadException("The invocation payload has no Data object.");
        return new InvocationRequest(data, metadata);
    }

    private static Dictionary<string, JsonElement>? ReadSection(JsonElement section, string name)
    {
        if (section.ValueKind == JsonValueKind.Null) return null;
        if (section.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationPayloadException($"{name} is a JSON {section.ValueKind}, not an object.");
        }
        var values = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in section.EnumerateObject()) values[property.Name] = property.Value.Clone();
        return values;
    }

    private static Dictionary<string, JsonElement> ToCaseInsensitive(IEnumerable<KeyValuePair<string, JsonElement>>? values)
    {
        var result = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        if (values is not null)
        {
            foreach (var (key, value) in values) result[key] = value;
        }
        return result;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
