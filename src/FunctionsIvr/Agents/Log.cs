namespace FunctionsIvr.Agents;

internal static partial class Log
{
    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Call {CallId}: screen pop for {Login} recorded ({Missing} parts missing)")]
    public static partial void CardRecorded(ILogger logger, string callId, string login, int missing);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Call {CallId}: screen pop for {Login} not recorded; the transfer goes ahead")]
    public static partial void CardFailed(ILogger logger, Exception exception, string callId, string login);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Agent page of {Login}: access refused ({Check})")]
    public static partial void Refused(ILogger logger, string login, AccessCheck check);
}
