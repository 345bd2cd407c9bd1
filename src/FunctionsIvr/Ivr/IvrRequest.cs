using System.Text.Json;

namespace FunctionsIvr.Ivr;

/// <summary>
/// One callback from the IVR platform, normalised: every field present (empty when the platform left it out),
/// EventData as a string whatever JSON type it came as, Session as raw JSON (null on the first callback).
/// </summary>
public sealed record IvrRequest
{
    public required string UniqueCallId { get; init; }
    public string FromNumber { get; init; } = "";
    public string ToNumber { get; init; } = "";
    public string ChannelStatus { get; init; } = "";
    public string? Hash { get; init; }
    public string EventName { get; init; } = "";
    public string EventData { get; init; } = "";

    /// <summary>The Session we returned last time, as an object (a JSON-string Session is already unwrapped). Null on the first callback.</summary>
    public JsonElement? Session { get; init; }

    /// <summary>Present when the platform reports a failure (app timeout, invalid response, no SIP account...).</summary>
    public IvrError? Error { get; init; }

    /// <summary>The callback had an Error with neither ErrorNo nor ErrorMsg, read as no Error (<see cref="Error"/> is null).</summary>
    public bool EmptyErrorIgnored { get; init; }
}

/// <summary>The platform's Error object; ErrorNo arrives as a string or a number and is kept as text.</summary>
public sealed record IvrError(string ErrorNo, string ErrorMsg);
