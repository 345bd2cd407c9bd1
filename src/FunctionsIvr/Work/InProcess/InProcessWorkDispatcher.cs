using FunctionsIvr.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Work.InProcess;

/// <summary>
/// Delivers the messages of <see cref="InProcessWorkQueue"/> to the <see cref="IWorkProcessor"/> registered for each
/// queue, as the Functions host's Service Bus trigger does in Azure: a DI scope and a log scope per delivery, at most
/// <see cref="InProcessWorkQueueOptions.MaxConcurrentCallsPerQueue"/> at a time per queue, a thrown exception abandons
/// the message (redelivery, then dead letter).
/// </summary>
public sealed class InProcessWorkDispatcher(
    InProcessWorkQueue queue,
    IServiceProvider services,
    IServiceScopeFactory scopeFactory,
    TimeProvider timeProvider,
    ILogger<InProcessWorkDispatcher> logger) : BackgroundService
{
    private IReadOnlyCollection<string> queueNames = [];

    /// <summary>
    /// Reads which queues have a processor before the host reports started, so a wiring error (two processors for a
    /// queue) stops startup. No processor is built until a message arrives for it.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        queueNames = WorkProcessors.QueueNamesHandled(services);
        queue.AttachProcessors(queueNames);
        Log.DispatcherStarted(logger, string.Join(", ", queueNames));
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var inFlight = queueNames.ToDictionary(name => name, _ => new InFlightCount(), StringComparer.OrdinalIgnoreCase);
        var maxConcurrent = queue.Options.MaxConcurrentCallsPerQueue;

        var deliveries = new List<Task>();
        using var wakeUp = timeProvider.CreateTimer(_ => queue.Wake(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Taken before looking, so a change made while we look still wakes us.
                var changed = queue.WhenChanged;
                queue.DeadLetterExpiredMessages();
                foreach (var (queueName, count) in inFlight)
                {
                    while (count.Value < maxConcurrent && queue.TryReceive(queueName, out var message))
                    {
                        count.Increment();
                        deliveries.Add(Task.Run(() => DeliverAsync(queueName, message, count, stoppingToken), CancellationToken.None));
                    }
                }
                deliveries.RemoveAll(task => task.IsCompleted);

                // A due message on a queue at its limit waits for a delivery to settle, which wakes us anyway.
                if (queue.NextWakeTime(name => inFlight.TryGetValue(name, out var count) && count.Value < maxConcurrent) is { } wakeAt)
                {
                    var delay = wakeAt - timeProvider.GetUtcNow();
                    if (delay <= TimeSpan.Zero) queue.Wake();
                    else wakeUp.Change(delay, Timeout.InfiniteTimeSpan);
                }
                await changed.WaitAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: let the deliveries in progress see the cancellation and settle.
        }
        await Task.WhenAll(deliveries).ConfigureAwait(false);
    }

    private async Task DeliverAsync(string queueName, QueuedMessage message, InFlightCount count, CancellationToken stoppingToken)
    {
        Exception? failure = null;
        using (Log.BeginDelivery(logger, queueName, Redact.Id(message.Message.MessageId), message.DeliveryCount))
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var processor = WorkProcessors.Find(scope.ServiceProvider, queueName)
                    ?? throw new InvalidOperationException($"The processor for queue '{queueName}' is no longer registered.");
                await processor.ProcessAsync(message.ToReceivedWork(), stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Not swallowed: the queue redelivers or dead-letters, and logs it.
                failure = e;
            }
        }

        count.Decrement();
        if (failure is null) queue.Complete(message);
        else if (stoppingToken.IsCancellationRequested && CutOffByCancellation(failure)) queue.Release(message);
        else queue.Abandon(message, failure);
    }

    /// <summary>
    /// The shutdown's cancellation, as thrown or wrapped by the processor (the ERP client reports a cut-off call as its
    /// own exception): not a failure of the message, so it is not counted as a delivery or logged as one.
    /// </summary>
    private static bool CutOffByCancellation(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException) return true;
        }

        return false;
    }

    private sealed class InFlightCount
    {
        private int value;

        public int Value => Volatile.Read(ref value);

        public void Increment() => Interlocked.Increment(ref value);

        public void Decrement() => Interlocked.Decrement(ref value);
    }
}
