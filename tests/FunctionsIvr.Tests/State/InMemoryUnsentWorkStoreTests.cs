using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;

namespace FunctionsIvr.Tests.State;

public sealed class InMemoryUnsentWorkStoreTests : UnsentWorkStoreContract
{
    protected override Task<IUnsentWorkStore> CreateStoreAsync() => Task.FromResult<IUnsentWorkStore>(new InMemoryUnsentWorkStore());
}
