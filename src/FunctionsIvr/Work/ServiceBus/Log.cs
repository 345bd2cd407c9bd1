using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Work.ServiceBus;

internal static partial class Log
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Sent {Subject} {MessageId} to {Queue}")]
    public static partial void Sent(ILogger logger, string subject, string messageId, string queue);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Sending {Subject} {MessageId} to {Queue} failed with status {Status} {ErrorCode}")]
    public static partial void SendFailed(ILogger logger, string subject, string messageId, string queue, int status, string? errorCode, Exception exception);
}
