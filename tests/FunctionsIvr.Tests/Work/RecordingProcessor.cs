using System.Collections.Concurrent;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Work;

/// <summary>
/// A processor that records every delivery and then does what the test says: <paramref name="behaviour"/> gets the
/// work and the call number (1-based) and may throw to fail the delivery.
/// </summary>
public sealed class RecordingProcessor(string queueName, Func<ReceivedWork, int, CancellationToken, Task>? behaviour = null) : IWorkProcessor
{
    private readonly ConcurrentQueue<ReceivedWork> received = new();
    private int calls;
    private int running;
    private int maxRunning;

    public string QueueName { get; } = queueName;

    public IReadOnlyList<ReceivedWork> Received => [.. received];

    public int Running => Volatile.Read(ref running);

    /// <summary>The most deliveries seen running at the same time.</summary>
    public int MaxRunning => Volatile.Read(ref maxRunning);

    public static RecordingProcessor Failing(string queueName, string error = "ERP answered 503") =>
        new(queueName, (_, _, _) => throw new InvalidOperationException(error));

    public async Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref calls);
        received.Enqueue(work);
        var now = Interlocked.Increment(ref running);
        int seen;
        while (now > (seen = Volatile.Read(ref maxRunning)) && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen)
        {
        }
        try
        {
            if (behaviour is not null) await behaviour(work, call, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref running);
        }
    }
}

public static class RecordingProcessorRegistration
{
    /// <summary>Registers this very instance for its queue, as the app registers its processors.</summary>
    public static IServiceCollection AddRecordingProcessor(this IServiceCollection services, RecordingProcessor processor) =>
        services.AddWorkProcessor(processor.QueueName, typeof(RecordingProcessor), _ => processor);
}
