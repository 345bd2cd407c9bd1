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

    [Fact]
    public async Task AddAndList_TableDeletedWhileTheAppRuns_IsCreatedAgain()
    {
        // A transfer's screen pop after someone cleared the table: the agent still sees the caller.
        var store = CreateStore();
        await store.AddAsync(Card("agent_a", "call-1"));
        await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

        Assert.Empty(await store.ListAsync("agent_a"));
        await store.AddAsync(Card("agent_a", "call-2"));

        Assert.Equal(["call-2"], (await store.ListAsync("agent_a")).Select(c => c.CallId));
    }

    protected override IAgentCardStore CreateStore() =>
        new TableAgentCardStore(azurite.CreateServiceClient(), Time, NullLogger<TableAgentCardStore>.Instance, _tableName);
}
