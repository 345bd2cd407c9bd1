using FunctionsIvr.State.Diagnostics;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.State;

public static class StateRegistration
{
    /// <summary>
    /// Call state, call log, outbox and unsent work: Table Storage when <c>StateStorage</c> (a connection string, or
    /// <c>StateStorage__tableServiceUri</c> for managed identity) is set, otherwise in memory for a local run.
    /// Counted when <c>Diagnostics:CountStorage</c> is true (see <see cref="StorageCounting"/>).
    /// </summary>
    public static IHostApplicationBuilder AddCallState(this IHostApplicationBuilder builder)
    {
        if (!builder.AddAzureStateStorage()) builder.AddInMemoryState();
        builder.AddStorageCounting();
        return builder;
    }
}
