using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.Work;

/// <summary>
/// The pause between a failed delivery of a work message and the next one: 1 s after the first, doubling, at most 30 s
/// (ten deliveries span about two and a half minutes). Locally the in-process queue schedules the redelivery after it;
/// in Azure, where Service Bus redelivers an abandoned message at once, the function endpoint waits it out before
/// answering the failure (<c>InvocationEndpoints.MapServiceBusFunction</c>). Section <c>WorkQueue</c>, shared with the
/// in-process queue's own settings.
/// </summary>
public sealed class WorkRetryOptions
{
    public const string SectionName = "WorkQueue";

    /// <summary>Wait before the second delivery; it doubles for each further delivery up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait. In Azure it must stay under the queues' lock duration (1 minute in infra/app/servicebus.bicep)
    /// less the processing time, although the host renews the lock while the function runs.
    /// </summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before delivery number <paramref name="deliveryCount"/> + 1 after delivery <paramref name="deliveryCount"/> failed.</summary>
    public TimeSpan RetryDelayAfter(int deliveryCount)
    {
        var exponent = Math.Clamp(deliveryCount - 1, 0, 40);
        var ticks = RetryBaseDelay.Ticks * Math.Pow(2, exponent);
        return ticks >= RetryMaxDelay.Ticks ? RetryMaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}

public static class WorkRetryRegistration
{
    private const string Section = WorkRetryOptions.SectionName;

    /// <summary>
    /// Binds <see cref="WorkRetryOptions"/> to section <c>WorkQueue</c> (<c>RetryBaseDelay</c>, <c>RetryMaxDelay</c>),
    /// validated at startup. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddWorkRetrySchedule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(WorkRetryScheduleMarker))) return services;
        services.TryAddSingleton<WorkRetryScheduleMarker>();
        services.AddOptions<WorkRetryOptions>()
            .Bind(configuration.GetSection(Section))
            .Validate(o => o.RetryBaseDelay >= TimeSpan.Zero, $"{Section}:RetryBaseDelay must not be negative.")
            .Validate(o => o.RetryMaxDelay >= o.RetryBaseDelay, $"{Section}:RetryMaxDelay must be at least RetryBaseDelay.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>Marks the schedule as registered, so a second call does not bind and validate it twice.</summary>
    private sealed class WorkRetryScheduleMarker;
}
