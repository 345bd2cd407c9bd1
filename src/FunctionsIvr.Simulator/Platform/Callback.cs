using System.Text.Json;

namespace FunctionsIvr.Simulator.Platform;

/// <summary>One webhook request of the platform, before it is encoded for the wire.</summary>
public sealed record Callback
{
    public required string UniqueCallId { get; init; }
    public required string FromNumber { get; init; }
    public required string ToNumber { get; init; }
    public string ChannelStatus { get; init; } = "Connected";
    public string? Hash { get; init; }
    public required PlatformEvent Event { get; init; }

    /// <summary>The Session the app returned last time; null on the first callback.</summary>
    public JsonElement? Session { get; init; }

    public PlatformError? Error { get; init; }

    /// <summary>The request object (without the <c>request</c> wrapper) in the platform's field order.</summary>
    public byte[] ToRequestJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteRequest(json);
        }

        return buffer.ToArray();
    }

    /// <summary>The documented envelope <c>{"request":{…}}</c>.</summary>
    public byte[] ToEnvelopeJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WritePropertyName("request");
            WriteRequest(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void WriteRequest(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("FromNumber", FromNumber);
        json.WriteString("ToNumber", ToNumber);
        json.WriteString("ChannelStatus", ChannelStatus);
        json.WriteString("UniqueCallId", UniqueCallId);
        if (Hash is not null)
        {
            json.WriteString("Hash", Hash);
        }

        json.WriteStartObject("Event");
        json.WriteString("EventName", Event.Name);
        json.WriteString("EventData", Event.Data);
        json.WriteEndObject();

        json.WritePropertyName("Session");
        if (Session is { } session)
        {
            session.WriteTo(json);
        }
        else
        {
            json.WriteNullValue();
        }

        if (Error is not null)
        {
            json.WriteStartObject("Error");
            json.WriteString("ErrorNo", Error.ErrorNo);
            json.WriteString("ErrorMsg", Error.ErrorMsg);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
