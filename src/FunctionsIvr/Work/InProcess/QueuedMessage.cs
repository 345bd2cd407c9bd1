namespace FunctionsIvr.Work.InProcess;

/// <summary>A message held by <see cref="InProcessWorkQueue"/>: the broker's bookkeeping around the message sent.</summary>
internal sealed class QueuedMessage(string queueName, WorkMessage message, long sequence, DateTimeOffset enqueuedTime, DateTimeOffset expiresAt)
{
    /// <summary>The queue it sits on: the queue it was sent to, or that queue's dead-letter queue.</summary>
    public string QueueName { get; } = queueName;
    public WorkMessage Message { get; } = message;
    public long Sequence { get; } = sequence;
    public DateTimeOffset EnqueuedTime { get; } = enqueuedTime;
    public DateTimeOffset ExpiresAt { get; } = expiresAt;
    public DateTimeOffset DueAt { get; set; } = enqueuedTime;
    public int DeliveryCount { get; set; }
    public string? DeadLetterReason { get; init; }

    public ReceivedWork ToReceivedWork() => new(Message, DeliveryCount, EnqueuedTime) { DeadLetterReason = DeadLetterReason };
}
