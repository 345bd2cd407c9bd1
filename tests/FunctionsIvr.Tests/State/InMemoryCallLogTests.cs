using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;

namespace FunctionsIvr.Tests.State;

public sealed class InMemoryCallLogTests : CallLogContract
{
    protected override Task<ICallLog> CreateLogAsync() => Task.FromResult<ICallLog>(new InMemoryCallLog());
}
