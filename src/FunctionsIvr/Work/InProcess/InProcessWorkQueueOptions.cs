namespace FunctionsIvr.Work.InProcess;

/// <summary>
/// Rules of the in-process queue that stands in for Service Bus locally. The defaults follow Service Bus
/// (MaxDeliveryCount 10, duplicate detection 10 minutes). The backoff between deliveries is
/// <see cref="WorkRetryOptions"/> (the same section), shared with the Service Bus function endpoints.
/// </summary>
public sealed class InProcessWorkQueueOptions
{
    public const string SectionName = WorkRetryOptions.SectionName;

    /// <summary>Deliveries before a message is dead-lettered with reason <c>MaxDeliveryCountExceeded</c>.</summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>A MessageId sent again within this window is dropped.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Messages of one queue processed at the same time (Service Bus: maxConcurrentCalls).</summary>
    public int MaxConcurrentCallsPerQueue { get; set; } = 4;
}
