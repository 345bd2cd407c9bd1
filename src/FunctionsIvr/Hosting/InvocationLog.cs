using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Hosting;

/// <summary>Log lines of the custom-handler invocation endpoints (Service Bus and timer functions).</summary>
internal static partial class InvocationLog
{
    private static readonly Func<ILogger, string, string, string, IDisposable?> MessageScope =
        LoggerMessage.DefineScope<string, string, string>("Function {FunctionName} MessageId {MessageId} invocation {InvocationId}");

    private static readonly Func<ILogger, string, string, IDisposable?> FunctionScope =
        LoggerMessage.DefineScope<string, string>("Function {FunctionName} invocation {InvocationId}");

    /// <summary>One scope per invocation, so every line a processor writes names the function and the (masked) MessageId.</summary>
    public static IDisposable? BeginMessage(ILogger logger, string functionName, string maskedMessageId, string invocationId) =>
        MessageScope(logger, functionName, maskedMessageId, invocationId);

    public static IDisposable? BeginFunction(ILogger logger, string functionName, string invocationId) =>
        FunctionScope(logger, functionName, invocationId);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Function {FunctionName} got a malformed invocation payload: {Problem}")]
    public static partial void MalformedPayload(ILogger logger, string functionName, string problem);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Function {FunctionName} processed message {MessageId} from queue {Queue} at delivery {DeliveryCount}")]
    public static partial void MessageProcessed(ILogger logger, string functionName, string messageId, string queue, int deliveryCount);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Function {FunctionName} failed on message {MessageId} from queue {Queue} at delivery {DeliveryCount}; the failure is answered after a retry delay of {RetryDelay}, then Service Bus redelivers it")]
    public static partial void MessageFailed(ILogger logger, Exception exception, string functionName, string messageId, string queue, int deliveryCount, TimeSpan retryDelay);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Error, Message = "Function {FunctionName} has no processor registered for queue {Queue}")]
    public static partial void NoProcessor(ILogger logger, string functionName, string queue);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "Timer function {FunctionName} ran (past due: {IsPastDue})")]
    public static partial void TimerRan(ILogger logger, string functionName, bool isPastDue);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "Timer function {FunctionName} failed")]
    public static partial void TimerFailed(ILogger logger, Exception exception, string functionName);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Function {FunctionName} answered the failure of message {MessageId} from queue {Queue} at delivery {DeliveryCount} after {Waited} of its {RetryDelay} retry delay because {Reason}; Service Bus redelivers it without the rest of the pause")]
    public static partial void RetryDelayCut(ILogger logger, string functionName, string messageId, string queue, int deliveryCount, TimeSpan waited, TimeSpan retryDelay, string reason);
}
