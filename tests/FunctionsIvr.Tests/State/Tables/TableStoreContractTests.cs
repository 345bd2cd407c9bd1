using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

// The Table Storage stores run the same contract suites as the in-memory ones, against Azurite.

[Collection(AzuriteCollection.Name)]
public sealed class TableCallStateStoreContractTests(AzuriteFixture azurite) : CallStateStoreContract
{
    protected override Task<ICallStateStore> CreateStoreAsync() =>
        Task.FromResult<ICallStateStore>(new TableCallStateStore(
            azurite.CreateServiceClient(), TimeProvider.System, NullLogger<TableCallStateStore>.Instance, AzuriteFixture.UniqueTableName("cstate")));
}

[Collection(AzuriteCollection.Name)]
public sealed class TableHeldTurnDecisionContractTests(AzuriteFixture azurite) : HeldTurnDecisionContract
{
    protected override Task<ICallStateStore> CreateStoreAsync() =>
        Task.FromResult<ICallStateStore>(new TableCallStateStore(
            azurite.CreateServiceClient(), TimeProvider.System, NullLogger<TableCallStateStore>.Instance, AzuriteFixture.UniqueTableName("turns")));
}

[Collection(AzuriteCollection.Name)]
public sealed class TableCallLogContractTests(AzuriteFixture azurite) : CallLogContract
{
    protected override Task<ICallLog> CreateLogAsync() =>
        Task.FromResult<ICallLog>(new TableCallLog(
            azurite.CreateServiceClient(), NullLogger<TableCallLog>.Instance, AzuriteFixture.UniqueTableName("clog")));
}

[Collection(AzuriteCollection.Name)]
public sealed class TableOutboxStoreContractTests(AzuriteFixture azurite) : OutboxStoreContract
{
    protected override Task<IOutboxStore> CreateStoreAsync() =>
        Task.FromResult<IOutboxStore>(new TableOutboxStore(
            azurite.CreateServiceClient(), NullLogger<TableOutboxStore>.Instance, AzuriteFixture.UniqueTableName("outbox")));
}

[Collection(AzuriteCollection.Name)]
public sealed class TableUnsentWorkStoreContractTests(AzuriteFixture azurite) : UnsentWorkStoreContract
{
    protected override Task<IUnsentWorkStore> CreateStoreAsync() =>
        Task.FromResult<IUnsentWorkStore>(new TableUnsentWorkStore(
            azurite.CreateServiceClient(), NullLogger<TableUnsentWorkStore>.Instance, AzuriteFixture.UniqueTableName("unsent")));
}
