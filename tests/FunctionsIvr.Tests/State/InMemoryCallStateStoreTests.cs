using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.State;

public sealed class InMemoryCallStateStoreTests : CallStateStoreContract
{
    private readonly ManualTimeProvider clock = new();

    protected override Task<ICallStateStore> CreateStoreAsync() => Task.FromResult<ICallStateStore>(CreateSut());

    private InMemoryCallStateStore CreateSut(TimeSpan? timeToLive = null) => new(clock,
        Options.Create(new InMemoryStateOptions { CallStateTimeToLive = timeToLive ?? TimeSpan.FromHours(2) }));

    [Fact]
    public async Task SaveAsync_SetsUpdatedAtFromTheClock()
    {
        var store = CreateSut();
        clock.Advance(TimeSpan.FromMinutes(3));
        var state = NewState(NewCallId(), ("k", "v"));

        await store.SaveAsync(state);

        Assert.Equal(ManualTimeProvider.DefaultStart.AddMinutes(3), state.UpdatedAt);
    }

    [Fact]
    public async Task GetAsync_TwoHoursAfterTheLastSave_StateHasExpired()
    {
        var store = CreateSut();
        var state = NewState(NewCallId(), ("k", "v"));
        await store.SaveAsync(state);

        clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await store.GetAsync(state.CallId));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(await store.GetAsync(state.CallId));
    }

    [Fact]
    public async Task SaveAsync_EachSave_RestartsTheTimeToLive()
    {
        var store = CreateSut(TimeSpan.FromMinutes(10));
        var state = NewState(NewCallId(), ("k", "v"));
        await store.SaveAsync(state);
        clock.Advance(TimeSpan.FromMinutes(8));
        await store.SaveAsync(state);

        clock.Advance(TimeSpan.FromMinutes(8));

        Assert.NotNull(await store.GetAsync(state.CallId));
    }

    [Fact]
    public async Task SaveAsync_ExpiredStateWithOldETag_Throws404()
    {
        var store = CreateSut(TimeSpan.FromMinutes(10));
        var state = NewState(NewCallId(), ("k", "v"));
        await store.SaveAsync(state);
        clock.Advance(TimeSpan.FromMinutes(11));

        var error = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => store.SaveAsync(state));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task SaveAsync_NewStateForAnExpiredCall_IsInsertedAfresh()
    {
        var store = CreateSut(TimeSpan.FromMinutes(10));
        var callId = NewCallId();
        await store.SaveAsync(NewState(callId, ("old", "1")));
        clock.Advance(TimeSpan.FromMinutes(11));

        await store.SaveAsync(NewState(callId, ("new", "2")));

        var read = await store.GetAsync(callId);
        Assert.Equal(["new"], read!.Values.Keys);
    }

    [Fact]
    public void Constructor_NonPositiveTimeToLive_FailsNamingTheSetting()
    {
        var error = Assert.Throws<OptionsValidationException>(() => CreateSut(TimeSpan.Zero));

        Assert.Contains("InMemoryState:CallStateTimeToLive", error.Message, StringComparison.Ordinal);
    }
}

public sealed class InMemoryHeldTurnDecisionContractTests : HeldTurnDecisionContract
{
    protected override Task<ICallStateStore> CreateStoreAsync() =>
        Task.FromResult<ICallStateStore>(new InMemoryCallStateStore(TimeProvider.System, Options.Create(new InMemoryStateOptions())));
}
