namespace FunctionsIvr.Work.InProcess;

/// <summary>
/// Rules of the in-process queue that stands in for Service Bus locally. The defaults follow Service Bus
/// (MaxDeliveryCount 10, duplicate detection 10 minutes); the backoff is ours, so a failing processor does not spin.
/// </summary>
public sealed class InProcessWorkQueueOptions
{
    public const string SectionName = "WorkQueue";

    /// <summary>Deliveries before a message is dead-lettered with reason <c>MaxDeliveryCountExceeded</c>.</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>A MessageId sent again within this window is dropped.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait before the second delivery; it doubles for each further delivery up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages of one queue processed at the same time (Service Bus: maxConcurrentCalls).</summary>
    public int MaxConcurrentCallsPerQueue { get; set; } = 4;

    /// <summary>The wait before delivery number <paramref name="deliveryCount"/> + 1 after delivery <paramref name="deliveryCount"/> failed.</summary>
    public TimeSpan RetryDelayAfter(int deliveryCount)
    {
        var exponent = Math.Clamp(deliveryCount - 1, 0, 40);
        var ticks = RetryBaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= RetryMaxDelay.Ticks ? RetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
