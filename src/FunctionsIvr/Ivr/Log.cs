using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Ivr;

/// <summary>
/// Log messages of the IVR protocol edge. Callers and call ids arrive here already masked
/// (<see cref="Hosting.Redact"/>); the Hash, bodies and typed digits are never passed in.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning,
        Message = "Refused an IVR callback (403): Hash {HashProblem}; caller {Caller}, call {CallId}")]
    public static partial void HashRejected(ILogger logger, string hashProblem, string caller, string callId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "IVR callback body not usable ({ParseError}): {Reason}")]
    public static partial void RequestNotParsed(ILogger logger, IvrParseErrorKind parseError, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Refused an IVR callback (413): body of {BodyBytes} bytes or more, Ivr:MaxRequestBodyBytes is {MaxBytes}")]
    public static partial void RequestBodyTooLarge(ILogger logger, long bodyBytes, int maxBytes);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug,
        Message = "Ivr:Hash is not set, so the callback's Hash is not checked (allowed in Development only)")]
    public static partial void HashNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning,
        Message = "Ivr:SessionKey is not set: Sessions are signed with a random key of this process, so calls in progress fail over to the fallback after a restart or on another instance")]
    public static partial void SessionKeyGenerated(ILogger logger);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning,
        Message = "Session of call {CallId} rejected: {SessionProblem}")]
    public static partial void SessionRejected(ILogger logger, string callId, SessionInvalidReason sessionProblem);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Debug,
        Message = "Session of call {CallId} was signed with Ivr:PreviousSessionKey")]
    public static partial void SessionSignedWithPreviousKey(ILogger logger, string callId);
}
