using FunctionsIvr.Agents;
using FunctionsIvr.Tests.Fakes;

namespace FunctionsIvr.Tests.Agents;

/// <summary>What every card store promises; run against each implementation.</summary>
public abstract class AgentCardStoreContract
{
    protected ManualTimeProvider Time { get; } = new();

    protected abstract IAgentCardStore CreateStore();

    [Fact]
    public async Task List_UnknownLogin_IsEmpty()
    {
        Assert.Empty(await CreateStore().ListAsync("nobody"));
    }

    [Fact]
    public async Task Add_ThenList_NewestFirstAndOnlyThatLogin()
    {
        var store = CreateStore();
        var first = await store.AddAsync(Card("agent_a", "call-1"));
        var second = await store.AddAsync(Card("agent_a", "call-2"));
        await store.AddAsync(Card("agent_b", "call-3"));

        var cards = await store.ListAsync("agent_a");

        Assert.Equal(["call-2", "call-1"], cards.Select(c => c.CallId));
        Assert.True(second.Id > first.Id);
        Assert.Equal("Jan Kowalski", cards[0].CallerName);
        Assert.Equal(["menu", "transfer_agent"], cards[0].Steps);
    }

    [Fact]
    public async Task Add_CardLongerThanOneTablePropertyHolds_KeptWhole()
    {
        // A long call's menu path and a customer with long complaints: more than 32,000 characters of card.
        var store = CreateStore();
        var steps = Enumerable.Range(1, 1500).Select(i => $"product_lookup_amount_grosze_{i}").ToList();
        await store.AddAsync(Card("agent_a", "call-long") with { Steps = steps, OpenComplaints = [new string('ż', 5000)] });

        var card = Assert.Single(await store.ListAsync("agent_a"));

        Assert.Equal(steps, card.Steps);
        Assert.Equal(new string('ż', 5000), Assert.Single(card.OpenComplaints));
    }

    [Fact]
    public async Task List_AfterAnId_OnlyNewerCards()
    {
        var store = CreateStore();
        var first = await store.AddAsync(Card("agent_a", "call-1"));
        await store.AddAsync(Card("agent_a", "call-2"));

        var newer = await store.ListAsync("agent_a", first.Id);

        Assert.Equal("call-2", Assert.Single(newer).CallId);
    }

    [Fact]
    public async Task Add_SameKeyAgain_KeepsOneCard()
    {
        var store = CreateStore();
        var first = await store.AddAsync(Card("agent_a", "call-1"));
        var again = await store.AddAsync(Card("agent_a", "call-1"));

        Assert.Equal(first.Id, again.Id);
        Assert.Single(await store.ListAsync("agent_a"));
    }

    [Fact]
    public async Task Add_SeveralTransfersToOneLoginAtOnce_EveryCardKept()
    {
        // A busy queue: several calls transferred to the same login in the same millisecond.
        var store = CreateStore();
        var calls = Enumerable.Range(1, 5).Select(i => "call-" + i).ToList();

        var added = await Task.WhenAll(calls.Select(c => store.AddAsync(Card("queue_a", c))));

        var cards = await store.ListAsync("queue_a");
        Assert.Equal(calls.Order(), cards.Select(c => c.CallId).Order());
        Assert.Equal(5, added.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public async Task Add_EleventhCard_DropsTheOldest()
    {
        var store = CreateStore();
        for (var i = 1; i <= 11; i++) await store.AddAsync(Card("agent_a", "call-" + i));

        var cards = await store.ListAsync("agent_a");

        Assert.Equal(IAgentCardStore.KeptPerLogin, cards.Count);
        Assert.DoesNotContain(cards, c => c.CallId == "call-1");
        Assert.Equal("call-11", cards[0].CallId);
    }

    [Fact]
    public async Task Add_DestinationWithSlashOrHash_ListsUnderThatDestinationOnly()
    {
        // The login is the transfer destination: a queue or number as configured, which may hold characters keys forbid.
        var store = CreateStore();
        await store.AddAsync(Card("queue/sales#1", "call-1"));
        await store.AddAsync(Card("queue%2Fsales%231", "call-2"));

        Assert.Equal(["call-1"], (await store.ListAsync("queue/sales#1")).Select(c => c.CallId));
        Assert.Equal(["call-2"], (await store.ListAsync("queue%2Fsales%231")).Select(c => c.CallId));
    }

    protected AgentCard Card(string login, string callId) => new()
    {
        Login = login,
        CallId = callId,
        Key = callId + ":4",
        CreatedAt = Time.GetUtcNow(),
        CallerName = "Jan Kowalski",
        Steps = ["menu", "transfer_agent"],
    };
}

public sealed class InMemoryAgentCardStoreTests : AgentCardStoreContract
{
    protected override IAgentCardStore CreateStore() => new InMemoryAgentCardStore(Time);
}
