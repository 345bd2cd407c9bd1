namespace FunctionsIvr.Work;

/// <summary>Sends out-of-band work. A seam: an in-process queue locally, Service Bus in Azure.</summary>
public interface IWorkQueue
{
    /// <summary>Accepted once per MessageId within the duplicate-detection window; a repeat is dropped silently.</summary>
    Task SendAsync(WorkMessage message, CancellationToken cancellationToken = default);
}

/// <summary>
/// Does the work of one queue. Throwing means "not done": the message is redelivered with backoff
/// (<see cref="WorkRetryOptions"/>, on both queues) and, once its deliveries are used up, dead-lettered. Processors
/// must be idempotent. Registered for its queue with <see cref="WorkProcessors.AddWorkProcessor{TProcessor}"/>.
/// </summary>
public interface IWorkProcessor
{
    Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken);
}
