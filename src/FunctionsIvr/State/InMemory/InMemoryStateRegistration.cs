using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.State.InMemory;

public static class InMemoryStateRegistration
{
    /// <summary>
    /// Registers the in-memory call state store, call log, outbox, unsent work store and retention purge (the local default when no
    /// <c>StateStorage</c> connection is configured). Settings: section <see cref="InMemoryStateOptions.SectionName"/>.
    /// </summary>
    public static IHostApplicationBuilder AddInMemoryState(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<InMemoryStateOptions>()
            .Bind(builder.Configuration.GetSection(InMemoryStateOptions.SectionName))
            .Validate(o => o.CallStateTimeToLive > TimeSpan.Zero,
                $"{InMemoryStateOptions.SectionName}:{nameof(InMemoryStateOptions.CallStateTimeToLive)} must be positive.")
            .Validate(o => o.CallLogMaxCalls > 0,
                $"{InMemoryStateOptions.SectionName}:{nameof(InMemoryStateOptions.CallLogMaxCalls)} must be at least 1.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Registered as themselves too, for the retention purge of the same instances.
        builder.Services.AddSingleton<InMemoryCallStateStore>();
        builder.Services.AddSingleton<ICallStateStore>(services => services.GetRequiredService<InMemoryCallStateStore>());
        builder.Services.AddSingleton(services =>
            new InMemoryCallLog(services.GetRequiredService<IOptions<InMemoryStateOptions>>().Value.CallLogMaxCalls));
        builder.Services.AddSingleton<ICallLog>(services => services.GetRequiredService<InMemoryCallLog>());
        builder.Services.AddSingleton<InMemoryOutboxStore>();
        builder.Services.AddSingleton<IOutboxStore>(services => services.GetRequiredService<InMemoryOutboxStore>());
        builder.Services.AddSingleton<IStatePurge, InMemoryStatePurge>();
        builder.Services.AddSingleton<IUnsentWorkStore, InMemoryUnsentWorkStore>();
        return builder;
    }
}
