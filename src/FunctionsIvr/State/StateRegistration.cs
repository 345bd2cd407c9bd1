using FunctionsIvr.State.Diagnostics;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.State;

public static class StateRegistration
{
    /// <summary>
    /// Call state, call log, outbox and unsent work: Table Storage when <c>StateStorage</c> (a connection string, or
    /// <c>StateStorage__tableServiceUri</c> for managed identity) is set, otherwise in memory for a local run.
    /// Old rows go with the daily retention purge (<see cref="StateRetention"/>, section <c>State</c>).
    /// Counted when <c>Diagnostics:CountStorage</c> is true (see <see cref="StorageCounting"/>).
    /// </summary>
    public static IHostApplicationBuilder AddCallState(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StateOptions>()
            .Bind(builder.Configuration.GetSection(StateOptions.SectionName))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StateOptions>, StateOptionsValidator>());
        builder.Services.TryAddTransient<StateRetention>();
        if (!builder.AddAzureStateStorage()) builder.AddInMemoryState();
        builder.AddStorageCounting();
        return builder;
    }
}
