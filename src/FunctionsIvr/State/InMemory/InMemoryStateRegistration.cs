using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.State.InMemory;

public static class InMemoryStateRegistration
{
    /// <summary>
    /// Registers the in-memory call state store, call log, outbox and unsent work store (the local default when no
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
        builder.Services.AddSingleton<ICallStateStore, InMemoryCallStateStore>();
        builder.Services.AddSingleton<ICallLog>(services =>
            new InMemoryCallLog(services.GetRequiredService<IOptions<InMemoryStateOptions>>().Value.CallLogMaxCalls));
        builder.Services.AddSingleton<IOutboxStore, InMemoryOutboxStore>();
        builder.Services.AddSingleton<IUnsentWorkStore, InMemoryUnsentWorkStore>();
        return builder;
    }
}
