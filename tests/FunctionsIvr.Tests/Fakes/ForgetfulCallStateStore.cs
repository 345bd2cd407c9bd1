using Azure;
using FunctionsIvr.State;

namespace FunctionsIvr.Tests.Fakes;

/// <summary>A call state store on an instance that never saw this call: saves vanish, reads find nothing.</summary>
public sealed class ForgetfulCallStateStore : ICallStateStore
{
    public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) => Task.FromResult<CallState?>(null);

    public Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default) => Task.FromResult(new ETag("W/\"1\""));
}
