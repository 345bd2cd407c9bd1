namespace FunctionsIvr.Work;

/// <summary>
/// A message for out-of-band work, shaped like a Service Bus message: MessageId drives duplicate detection
/// (set it from the business key, e.g. the transaction id), Subject names the message type, Body is JSON text.
/// </summary>
public sealed record WorkMessage
{
    public required string QueueName { get; init; }
    public required string MessageId { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    public string ContentType { get; init; } = "application/json";
    public string? CorrelationId { get; init; }
    public IReadOnlyDictionary<string, string> ApplicationProperties { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset? ScheduledEnqueueTime { get; init; }
    public TimeSpan? TimeToLive { get; init; }
}

/// <summary>A message as a processor receives it.</summary>
public sealed record ReceivedWork(WorkMessage Message, int DeliveryCount, DateTimeOffset EnqueuedTime)
{
    /// <summary>Set when the message comes from a dead-letter queue.</summary>
    public string? DeadLetterReason { get; init; }
}

public static class QueueNames
{
    public const string OrderCommits = "order-commits";
    public const string Escalations = "escalations";
    public const string CallRecords = "call-records";

    /// <summary>
    /// Where Service Bus forwards every queue's dead letters (ForwardDeadLetteredMessagesTo), so one function handles them.
    /// The in-process queue keeps each queue's own dead-letter queue instead; the same processor serves both.
    /// </summary>
    public const string DeadLetters = "dead-letters";

    /// <summary>The queues whose messages become escalations when they cannot be processed.</summary>
    public static IReadOnlyList<string> WorkQueues { get; } = [OrderCommits, Escalations, CallRecords];

    private const string DeadLetterSuffix = "/$DeadLetterQueue";

    /// <summary>The dead-letter queue of <paramref name="queue"/>, named the way Service Bus names it.</summary>
    public static string DeadLetterQueueOf(string queue)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return queue + DeadLetterSuffix;
    }

    public static bool IsDeadLetterQueue(string queue) =>
        queue.EndsWith(DeadLetterSuffix, StringComparison.OrdinalIgnoreCase);
}
