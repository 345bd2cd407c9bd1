using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.Work;

/// <summary>
/// One <see cref="IWorkProcessor"/> per queue, registered under the queue's name so a delivery builds only the
/// processor it needs (and its ERP client), not every processor of the app. Queue names compare like Service Bus
/// names (ignoring case).
/// </summary>
public static class WorkProcessors
{
    /// <summary>
    /// Registers <typeparamref name="TProcessor"/> for <paramref name="queueName"/> with the given lifetime (transient
    /// for processors holding a typed ERP client). Registering the same type for the same queue again changes nothing.
    /// </summary>
    public static IServiceCollection AddWorkProcessor<TProcessor>(
        this IServiceCollection services, string queueName, ServiceLifetime lifetime = ServiceLifetime.Transient)
        where TProcessor : class, IWorkProcessor
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        services.TryAdd(new ServiceDescriptor(typeof(TProcessor), typeof(TProcessor), lifetime));
        var registered = services.Any(d => d.ImplementationInstance is WorkProcessorRegistration r
            && r.ProcessorType == typeof(TProcessor) && string.Equals(r.QueueName, queueName, StringComparison.OrdinalIgnoreCase));
        return registered ? services : services.AddWorkProcessor(queueName, typeof(TProcessor), sp => sp.GetRequiredService<TProcessor>());
    }

    /// <summary>Registers a processor for <paramref name="queueName"/> built by <paramref name="create"/> for each delivery.</summary>
    public static IServiceCollection AddWorkProcessor(
        this IServiceCollection services, string queueName, Type processorType, Func<IServiceProvider, IWorkProcessor> create)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentNullException.ThrowIfNull(processorType);
        ArgumentNullException.ThrowIfNull(create);
        services.AddSingleton(new WorkProcessorRegistration(queueName, processorType, create));
        services.TryAddSingleton<WorkProcessorCatalog>();
        return services;
    }

    /// <summary>The processor for <paramref name="queueName"/>, built now, or null. Two processors for one queue is a wiring error.</summary>
    public static IWorkProcessor? Find(IServiceProvider services, string queueName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        return services.GetService<WorkProcessorCatalog>()?.Create(services, queueName);
    }

    /// <summary>Every queue name some processor handles, without building any; fails when two processors claim the same queue.</summary>
    public static IReadOnlyCollection<string> QueueNamesHandled(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.GetService<WorkProcessorCatalog>()?.QueueNames ?? [];
    }
}

/// <summary>What <see cref="WorkProcessors.AddWorkProcessor"/> records: which processor a queue's messages go to.</summary>
public sealed record WorkProcessorRegistration(string QueueName, Type ProcessorType, Func<IServiceProvider, IWorkProcessor> Create);

/// <summary>The registrations by queue name, checked once when first resolved (the in-process dispatcher does so on start).</summary>
public sealed class WorkProcessorCatalog
{
    private readonly Dictionary<string, WorkProcessorRegistration> byQueue = new(StringComparer.OrdinalIgnoreCase);

    public WorkProcessorCatalog(IEnumerable<WorkProcessorRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var registration in registrations)
        {
            if (byQueue.TryGetValue(registration.QueueName, out var other))
            {
                throw new InvalidOperationException(
                    $"Two work processors handle queue '{registration.QueueName}': {other.ProcessorType.Name} and " +
                    $"{registration.ProcessorType.Name}. Register one per queue.");
            }
            byQueue[registration.QueueName] = registration;
        }
        QueueNames = [.. byQueue.Keys];
    }

    public IReadOnlyCollection<string> QueueNames { get; }

    public IWorkProcessor? Create(IServiceProvider services, string queueName) =>
        byQueue.TryGetValue(queueName, out var registration) ? registration.Create(services) : null;
}
