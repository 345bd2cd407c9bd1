using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Work.InProcess;

internal static partial class Log
{
    private static readonly Func<ILogger, string, string, int, IDisposable?> DeliveryScope =
        LoggerMessage.DefineScope<string, string, int>("Queue {Queue} MessageId {MessageId} delivery {DeliveryCount}");

    /// <summary>One scope per delivery, so every line a processor logs carries the queue and the (masked) MessageId.</summary>
    public static IDisposable? BeginDelivery(ILogger logger, string queue, string maskedMessageId, int deliveryCount) =>
        DeliveryScope(logger, queue, maskedMessageId, deliveryCount);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "In-process work queue delivering to processors of {Queues}")]
    public static partial void DispatcherStarted(ILogger logger, string queues);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Warning, Message = "No processor is registered for queue {Queue}; its messages wait there")]
    public static partial void NoProcessor(ILogger logger, string queue);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Information, Message = "Dropped message {MessageId} on queue {Queue}: the same MessageId was sent at {FirstSentAt} (duplicate detection)")]
    public static partial void DuplicateDropped(ILogger logger, string messageId, string queue, DateTimeOffset firstSentAt);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Debug, Message = "Processed message {MessageId} on queue {Queue} at delivery {DeliveryCount}")]
    public static partial void Processed(ILogger logger, string messageId, string queue, int deliveryCount);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Warning, Message = "Processing message {MessageId} on queue {Queue} failed at delivery {DeliveryCount} of {MaxDeliveryCount}; redelivery in {RetryDelay}")]
    public static partial void ProcessingFailed(ILogger logger, Exception exception, string messageId, string queue, int deliveryCount, int maxDeliveryCount, TimeSpan retryDelay);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Error, Message = "Dead-lettered message {MessageId} from queue {Queue} into {DeadLetterQueue}: {DeadLetterReason} after {DeliveryCount} deliveries. {DeadLetterErrorDescription}")]
    public static partial void DeadLettered(ILogger logger, string messageId, string queue, string deadLetterQueue, string deadLetterReason, int deliveryCount, string deadLetterErrorDescription);

    [LoggerMessage(EventId = 4407, Level = LogLevel.Error, Message = "Message {MessageId} on dead-letter queue {Queue} stays parked: {DeadLetterReason} after {DeliveryCount} deliveries. {DeadLetterErrorDescription}")]
    public static partial void DeadLetterParked(ILogger logger, string messageId, string queue, string deadLetterReason, int deliveryCount, string deadLetterErrorDescription);

    [LoggerMessage(EventId = 4408, Level = LogLevel.Information, Message = "Delivery of message {MessageId} on queue {Queue} was interrupted by shutdown")]
    public static partial void InterruptedByShutdown(ILogger logger, string messageId, string queue);
}
