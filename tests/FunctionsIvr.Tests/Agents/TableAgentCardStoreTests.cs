using FunctionsIvr.Agents;
using FunctionsIvr.Tests.State.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.Agents;

[Collection(AzuriteCollection.Name)]
public sealed class TableAgentCardStoreTests(AzuriteFixture azurite) : AgentCardStoreContract, IAsyncLifetime
{
    private readonly string _tableName = AzuriteFixture.UniqueTableName("agentcards");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

    protected override IAgentCardStore CreateStore() =>
        new TableAgentCardStore(azurite.CreateServiceClient(), Time, NullLogger<TableAgentCardStore>.Instance, _tableName);
}
