using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FunctionsIvr.Ivr;

/// <summary>
/// Reads a callback body in every shape the platform (or its integrations) may send: raw JSON with or without the
/// <c>request</c> wrapper, <c>request</c> holding a JSON string, or a form field <c>request</c> (urlencoded or
/// multipart). The shape is taken from the content first (a body starting with <c>{</c> is JSON whatever the
/// Content-Type says), then from the Content-Type. Property names are case-insensitive; unknown fields are ignored.
/// Never throws: anything unusable becomes a failure with a reason that is safe to log.
/// </summary>
public static class IvrRequestParser
{
    public const string RequestField = "request";

    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static IvrParseResult Parse(ReadOnlyMemory<byte> body, string? contentType)
    {
        var content = TrimStart(body);
        if (content.IsEmpty)
        {
            return IvrParseResult.Failure(IvrParseErrorKind.EmptyBody, "The body is empty.");
        }

        if (content.Span[0] == (byte)'{')
        {
            return ParseJson(content, "body");
        }

        var boundary = FormFields.MultipartBoundary(contentType, content.Span);
        var field = boundary is null
            ? FormFields.FromUrlEncoded(content.Span, RequestField)
            : FormFields.FromMultipart(content.Span, boundary, RequestField);
        if (field is null)
        {
            var shape = boundary is null ? "an urlencoded form" : "a multipart form";
            return IvrParseResult.Failure(IvrParseErrorKind.NoRequestField,
                $"The body is not a JSON object, and read as {shape} it has no field '{RequestField}'.");
        }

        var fieldJson = TrimStart(Encoding.UTF8.GetBytes(field));
        if (fieldJson.IsEmpty || fieldJson.Span[0] != (byte)'{')
        {
            return IvrParseResult.Failure(IvrParseErrorKind.NotAnObject, $"The form field '{RequestField}' does not hold a JSON object.");
        }

        return ParseJson(fieldJson, $"form field '{RequestField}'");
    }

    private static IvrParseResult ParseJson(ReadOnlyMemory<byte> json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return IvrParseResult.Failure(IvrParseErrorKind.NotAnObject, $"The {source} is not a JSON object.");
            }

            if (!TryGetProperty(root, RequestField, out var wrapped))
            {
                return FromRequestObject(root);
            }

            switch (wrapped.ValueKind)
            {
                case JsonValueKind.Object:
                    return FromRequestObject(wrapped);
                case JsonValueKind.String:
                    var inner = TrimStart(Encoding.UTF8.GetBytes(wrapped.GetString()!));
                    if (inner.IsEmpty || inner.Span[0] != (byte)'{')
                    {
                        return IvrParseResult.Failure(IvrParseErrorKind.NotAnObject, $"'{RequestField}' in the {source} is a string that does not hold a JSON object.");
                    }

                    using (var innerDocument = JsonDocument.Parse(inner, DocumentOptions))
                    {
                        return innerDocument.RootElement.ValueKind == JsonValueKind.Object
                            ? FromRequestObject(innerDocument.RootElement)
                            : IvrParseResult.Failure(IvrParseErrorKind.NotAnObject, $"'{RequestField}' in the {source} does not hold a JSON object.");
                    }

                default:
                    return IvrParseResult.Failure(IvrParseErrorKind.NotAnObject,
                        $"'{RequestField}' in the {source} is {wrapped.ValueKind}, not an object.");
            }
        }
        catch (JsonException e)
        {
            // The exception message can quote the offending byte; only the position is reported.
            return IvrParseResult.Failure(IvrParseErrorKind.MalformedJson,
                $"The {source} is not valid JSON (invalid syntax, invalid UTF-8, or nested deeper than {MaxDepth}) near line {e.LineNumber ?? 0}, byte {e.BytePositionInLine ?? 0}.");
        }
        catch (InvalidOperationException)
        {
            // GetString on a string with an unpaired surrogate escape.
            return IvrParseResult.Failure(IvrParseErrorKind.MalformedJson, $"The {source} holds a string that is not valid Unicode.");
        }
    }

    private static IvrParseResult FromRequestObject(JsonElement request)
    {
        var hash = Text(request, "Hash");
        var callId = Text(request, "UniqueCallId");
        if (string.IsNullOrWhiteSpace(callId))
        {
            return IvrParseResult.Failure(IvrParseErrorKind.MissingUniqueCallId, "The request has no UniqueCallId.", hash);
        }

        var eventName = "";
        var eventData = "";
        if (TryGetProperty(request, "Event", out var callEvent))
        {
            if (callEvent.ValueKind == JsonValueKind.Object)
            {
                eventName = KnownText(callEvent, "EventName", KnownEventNames) ?? "";
                eventData = Text(callEvent, "EventData") ?? "";
            }
            else
            {
                eventName = AsText(callEvent) ?? "";
            }
        }

        var hasError = TryGetProperty(request, "Error", out var errorValue);
        var error = hasError ? ReadError(errorValue) : null;
        return IvrParseResult.Success(new IvrRequest
        {
            UniqueCallId = callId,
            FromNumber = Text(request, "FromNumber") ?? "",
            ToNumber = Text(request, "ToNumber") ?? "",
            ChannelStatus = KnownText(request, "ChannelStatus", KnownChannelStatuses) ?? "",
            Hash = hash,
            EventName = eventName,
            EventData = eventData,
            Session = TryGetProperty(request, "Session", out var session) ? ReadSession(session) : null,
            Error = error,
            EmptyErrorIgnored = hasError && error is null && errorValue.ValueKind != JsonValueKind.Null,
        });
    }

    /// <summary>
    /// Null and "" mean no Session; a string holding a JSON object is unwrapped. Anything else is kept as it came,
    /// so the Session codec reports it as malformed instead of the call silently starting over.
    /// </summary>
    private static JsonElement? ReadSession(JsonElement session)
    {
        if (session.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        if (session.ValueKind != JsonValueKind.String) return session.Clone();

        var text = session.GetString()!.Trim();
        if (text.Length == 0 || text == "null") return null;
        if (text[0] != '{') return session.Clone();

        try
        {
            using var document = JsonDocument.Parse(text, DocumentOptions);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return session.Clone();
        }
    }

    /// <summary>
    /// The platform sends Error only on failures, carrying ErrorNo and ErrorMsg. One with neither (<c>{}</c>, <c>""</c>,
    /// <c>[]</c>, <c>false</c>, blank fields) reports nothing, so it counts as no Error: were the platform to send such
    /// a field on healthy callbacks, reading it as a failure would send every call to the apology.
    /// </summary>
    private static IvrError? ReadError(JsonElement error)
    {
        var read = error.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined or JsonValueKind.False => null,
            JsonValueKind.Array when error.GetArrayLength() == 0 => null,
            JsonValueKind.Object => new IvrError(Text(error, "ErrorNo") ?? "", Text(error, "ErrorMsg") ?? ""),
            _ => new IvrError("", AsText(error) ?? ""),
        };
        return read is not null && string.IsNullOrWhiteSpace(read.ErrorNo) && string.IsNullOrWhiteSpace(read.ErrorMsg) ? null : read;
    }

    private static string? Text(JsonElement parent, string name) =>
        TryGetProperty(parent, name, out var value) ? AsText(value) : null;

    /// <summary>The documented event names: every callback carries one, and its call log line keeps it.</summary>
    private static readonly string[] KnownEventNames = ["Connected", "GetDTMF", "Play", "CallStatus", "Answer"];

    private static readonly string[] KnownChannelStatuses = ["Connected"];

    /// <summary>
    /// As <see cref="Text"/>, but a value the platform sends on nearly every callback is the one shared string, not a new
    /// one each time: less for the garbage collector to copy while the call log keeps it.
    /// </summary>
    private static string? KnownText(JsonElement parent, string name, string[] known)
    {
        if (!TryGetProperty(parent, name, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String)
        {
            foreach (var text in known)
            {
                if (value.ValueEquals(text)) return text;
            }
        }

        return AsText(value);
    }

    /// <summary>Strings as they are, numbers and booleans as their JSON text, null as null.</summary>
    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>The exact name first, then any casing (the platform documents PascalCase, integrations vary).</summary>
    private static bool TryGetProperty(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.TryGetProperty(name, out value)) return true;
        foreach (var property in parent.EnumerateObject())
        {
            if (NameEqualsIgnoreCase(property, name))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Compares the name as it is in the body, without making a string of it: the lookup of a field that is absent
    /// (Error, on nearly every callback) goes through every name. A name with escapes is unescaped first.
    /// </summary>
    private static bool NameEqualsIgnoreCase(JsonProperty property, string name)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.IndexOf((byte)'\\') < 0
            ? Ascii.EqualsIgnoreCase(raw, name)
            : property.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Skips a UTF-8 byte order mark and leading whitespace.</summary>
    private static ReadOnlyMemory<byte> TrimStart(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        while (start < span.Length && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') start++;
        return body[start..];
    }
}
