using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Work;

/// <summary>Finds the <see cref="IWorkProcessor"/> registered for a queue; queue names compare like Service Bus names (ignoring case).</summary>
public static class WorkProcessors
{
    /// <summary>The processor for <paramref name="queueName"/>, or null. Two processors for one queue is a wiring error.</summary>
    public static IWorkProcessor? Find(IServiceProvider services, string queueName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        IWorkProcessor? found = null;
        foreach (var processor in services.GetServices<IWorkProcessor>())
        {
            if (!string.Equals(processor.QueueName, queueName, StringComparison.OrdinalIgnoreCase)) continue;
            if (found is not null) throw TwoProcessors(queueName, found, processor);
            found = processor;
        }
        return found;
    }

    /// <summary>Every queue name some processor handles; fails when two processors claim the same queue.</summary>
    public static IReadOnlyCollection<string> QueueNamesHandled(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var byQueue = new Dictionary<string, IWorkProcessor>(StringComparer.OrdinalIgnoreCase);
        foreach (var processor in services.GetServices<IWorkProcessor>())
        {
            if (string.IsNullOrEmpty(processor.QueueName))
            {
                throw new InvalidOperationException($"The work processor {processor.GetType().Name} has no QueueName.");
            }
            if (byQueue.TryGetValue(processor.QueueName, out var other)) throw TwoProcessors(processor.QueueName, other, processor);
            byQueue[processor.QueueName] = processor;
        }
        return byQueue.Keys;
    }

    private static InvalidOperationException TwoProcessors(string queueName, IWorkProcessor first, IWorkProcessor second) =>
        new($"Two work processors handle queue '{queueName}': {first.GetType().Name} and {second.GetType().Name}. Register one per queue.");
}
