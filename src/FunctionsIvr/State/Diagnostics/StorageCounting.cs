using FunctionsIvr.Calls;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.State.Diagnostics;

/// <summary>
/// Off unless <c>Diagnostics:CountStorage</c> is true (the benchmark sets it): wraps the call state store, call log,
/// outbox store and unsent work store in counters and answers them on <c>GET /diagnostics/storage</c>.
/// </summary>
public static class StorageCounting
{
    public const string SettingKey = "Diagnostics:CountStorage";
    public const string Route = "/diagnostics/storage";

    /// <summary>Call after the stores are registered.</summary>
    public static IHostApplicationBuilder AddStorageCounting(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue<bool>(SettingKey)) return builder;
        builder.Services.TryAddSingleton<StorageCounters>();
        Decorate<ICallStateStore>(builder.Services, (inner, s) => new CountingCallStateStore(inner, s.GetRequiredService<StorageCounters>()));
        Decorate<ICallLog>(builder.Services, (inner, s) => new CountingCallLog(inner, s.GetRequiredService<StorageCounters>()));
        Decorate<IOutboxStore>(builder.Services, (inner, s) => new CountingOutboxStore(inner, s.GetRequiredService<StorageCounters>()));
        Decorate<IUnsentWorkStore>(builder.Services, (inner, s) => new CountingUnsentWorkStore(inner, s.GetRequiredService<StorageCounters>()));
        return builder;
    }

    public static IEndpointRouteBuilder MapStorageCounts(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<StorageCounters>() is null) return app;
        // Beside the round trips: call log lines the writer gave up on because storage could not keep up.
        app.MapGet(Route, (StorageCounters counters, CallLogWriter callLog) =>
        {
            var counts = counters.Snapshot();
            return Results.Ok(new
            {
                counts.CallStateReads, counts.CallStateWrites, counts.CallLogWrites, counts.CallLogReads, counts.OutboxOperations,
                counts.UnsentWorkOperations,
                CallLogLinesDropped = callLog.Dropped,
            });
        }).ExcludeFromDescription();
        return app;
    }

    private static void Decorate<T>(IServiceCollection services, Func<T, IServiceProvider, T> wrap)
        where T : class
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(T));
        if (registered is null) return;
        services.Remove(registered);
        services.Add(ServiceDescriptor.Describe(typeof(T), s => wrap(Create<T>(registered, s), s), registered.Lifetime));
    }

    private static T Create<T>(ServiceDescriptor registered, IServiceProvider services)
        where T : class =>
        registered.ImplementationInstance as T
        ?? registered.ImplementationFactory?.Invoke(services) as T
        ?? (T)ActivatorUtilities.CreateInstance(services, registered.ImplementationType!);
}
