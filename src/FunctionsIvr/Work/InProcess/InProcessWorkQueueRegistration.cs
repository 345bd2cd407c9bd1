using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FunctionsIvr.Work.InProcess;

public static class InProcessWorkQueueRegistration
{
    private const string Section = InProcessWorkQueueOptions.SectionName;

    /// <summary>
    /// Registers the in-process queue as <see cref="IWorkQueue"/> (and as itself, for <c>DeadLetters</c> and
    /// <c>WaitForIdleAsync</c>), its start as a <see cref="VolatileWorkQueue"/> (it does not survive a restart), plus the
    /// dispatcher that hands its messages to every registered <see cref="IWorkProcessor"/>.
    /// Settings: section <c>WorkQueue</c> (with the redelivery backoff, <see cref="WorkRetryOptions"/>), validated at startup.
    /// </summary>
    public static IHostApplicationBuilder AddInProcessWorkQueue(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<InProcessWorkQueueOptions>()
            .Bind(builder.Configuration.GetSection(Section))
            .Validate(o => o.MaxDeliveryCount >= 1, $"{Section}:MaxDeliveryCount must be at least 1.")
            .Validate(o => o.MaxConcurrentCallsPerQueue >= 1, $"{Section}:MaxConcurrentCallsPerQueue must be at least 1.")
            .Validate(o => o.DuplicateDetectionWindow >= TimeSpan.Zero, $"{Section}:DuplicateDetectionWindow must not be negative.")
            .ValidateOnStart();
        builder.Services.AddWorkRetrySchedule(builder.Configuration);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<InProcessWorkQueue>();
        builder.Services.AddSingleton<IWorkQueue>(services => services.GetRequiredService<InProcessWorkQueue>());
        // Messages live in memory and a restart loses them; the outbox sweep reads this to send lost commits again.
        builder.Services.AddSingleton(services => new VolatileWorkQueue(services.GetRequiredService<InProcessWorkQueue>().StartedAt));
        builder.Services.AddHostedService<InProcessWorkDispatcher>();
        return builder;
    }
}
