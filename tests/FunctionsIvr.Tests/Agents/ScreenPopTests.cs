using Azure;
using FunctionsIvr.Agents;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Work;
using FunctionsIvr.Tests.Calls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.Agents;

/// <summary>The card recorded just before a transfer, through the real call flow.</summary>
public sealed class ScreenPopTests
{
    private static readonly Contact Caller = AgentTestApp.Caller with
    {
        AccountManager = new AccountManager { Login = "am_nowak", Name = "Anna Nowak" },
    };

    [Fact]
    public async Task ToAccountManager_CardForThatLoginWithCallerMenuAndOpenItems()
    {
        using var call = Harness();

        var transfer = await ToPersonAsync(call);

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        var card = Assert.Single(await Store(call).ListAsync("am_nowak"));
        Assert.Equal(call.CallId, card.CallId);
        Assert.Equal("Jan Kowalski", card.CallerName);
        Assert.Equal("Hurtownia Kowalski", card.Company);
        Assert.Equal("vip", card.Segment);
        Assert.Equal("********200", card.MaskedNumber);
        Assert.Contains("transfer_agent", card.Steps);
        Assert.Equal("ZS/2026/000777 shipped 10.00 PLN", Assert.Single(card.OpenOrders));
        Assert.Empty(card.Missing);
    }

    [Fact]
    public async Task AccountManagerDoesNotAnswer_TheQueueGetsItsOwnCard()
    {
        using var call = Harness();
        await ToPersonAsync(call);

        var queue = await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        Assert.Equal(IvrActionTypes.CallByObjectLogin, queue.Action.Type);
        var card = Assert.Single(await Store(call).ListAsync("kolejka_sprzedaz"));
        Assert.Contains("transfer_queue", card.Steps);
    }

    [Fact]
    public async Task ToComplaintHandler_CardShowsTheComplaintTheCallerWasOn()
    {
        using var call = Harness();
        call.Erp.Setup(e => e.GetOpenComplaintsAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            [new Complaint { Id = "k-1", Number = "RK/2026/0042", ContactId = Caller.Id, Status = "open", Subject = "Broken pallet", AssignedTo = "rk_lis" }]);

        var transfer = await ToPersonAsync(call, "2", "7", "1"); // past the VIP offer, complaints, talk to the handler

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        var card = Assert.Single(await Store(call).ListAsync("rk_lis"));
        Assert.Equal("complaint RK/2026/0042", card.LookingAt);
        Assert.Equal("RK/2026/0042 open Broken pallet", Assert.Single(card.OpenComplaints));
        Assert.Contains("complaints_transfer", card.Steps);
    }

    [Fact]
    public async Task ComplaintsHeardThenLeftForTheMenu_CardDoesNotSayTheCallerIsOnTheComplaint()
    {
        using var call = Harness();
        call.Erp.Setup(e => e.GetOpenComplaintsAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            [new Complaint { Id = "k-1", Number = "RK/2026/0042", ContactId = Caller.Id, Status = "open", Subject = "Broken pallet", AssignedTo = "rk_lis" }]);

        var transfer = await ToPersonAsync(call, "2", "7", "9"); // past the VIP offer, complaints, back to the menu, then 0

        Assert.Equal("am_nowak", transfer.Action["Destination"]);
        var card = Assert.Single(await Store(call).ListAsync("am_nowak"));
        Assert.Null(card.LookingAt);
        Assert.Equal("RK/2026/0042 open Broken pallet", Assert.Single(card.OpenComplaints));
    }

    [Fact]
    public async Task OrderHeardThenAProductLookedUp_CardNamesTheProductNotTheOrder()
    {
        using var call = Harness();
        call.Erp.Setup(e => e.SearchProductsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Product { Code = "CEM-325-25", Name = "Cement", Unit = "bag", Price = 25m, Stock = 40 }]);

        // Past the VIP offer, order status, back, product lookup, its code, back, then 0.
        var transfer = await ToPersonAsync(call, "2", "1", "9", "3", "32525", "9");

        Assert.Equal("am_nowak", transfer.Action["Destination"]);
        Assert.Equal("product CEM-325-25", Assert.Single(await Store(call).ListAsync("am_nowak")).LookingAt);
    }

    [Fact]
    public async Task ProductLookedUpThenAnOrderHeard_CardNamesTheOrder()
    {
        using var call = Harness();
        call.Erp.Setup(e => e.SearchProductsAsync(It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Product { Code = "CEM-325-25", Name = "Cement", Unit = "bag", Price = 25m, Stock = 40 }]);

        var transfer = await ToPersonAsync(call, "2", "3", "32525", "9", "1", "9");

        Assert.Equal("am_nowak", transfer.Action["Destination"]);
        Assert.Equal("order ending 0777 (shipped)", Assert.Single(await Store(call).ListAsync("am_nowak")).LookingAt);
    }

    [Fact]
    public async Task ManyOpenComplaints_CardShowsFiveAndHowManyMore()
    {
        using var call = Harness();
        call.Erp.Setup(e => e.GetOpenComplaintsAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(
            Enumerable.Range(1, 8).Select(i => new Complaint { Id = $"k-{i}", Number = $"RK/2026/00{i:00}", ContactId = Caller.Id, Status = "open", Subject = "Pallet" }).ToList());

        await ToPersonAsync(call);

        var card = Assert.Single(await Store(call).ListAsync("am_nowak"));
        Assert.Equal(6, card.OpenComplaints.Count);
        Assert.Equal("RK/2026/0005 open Pallet", card.OpenComplaints[4]);
        Assert.Equal("and 3 more in the ERP", card.OpenComplaints[5]);
    }

    [Fact]
    public async Task ErpDown_TransferStillAnswered_CardSaysWhatIsMissing()
    {
        using var call = Harness();
        call.Erp.Setup(e => e.GetOrdersAsync(Caller.Id, It.IsAny<IReadOnlyCollection<string>?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"));

        var transfer = await ToPersonAsync(call);

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        var card = Assert.Single(await Store(call).ListAsync("am_nowak"));
        Assert.Empty(card.OpenOrders);
        Assert.Contains("open orders", card.Missing);
        Assert.Equal("Jan Kowalski", card.CallerName);
    }

    [Fact]
    public async Task CallLogStorageFailing_CardRecordedWithoutTheMenuPath()
    {
        var log = new Mock<ICallLog>();
        log.Setup(l => l.ReadAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Server Busy"));
        using var call = Harness(services => services.Replace(ServiceDescriptor.Singleton(log.Object)));

        var transfer = await ToPersonAsync(call);

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        var card = Assert.Single(await Store(call).ListAsync("am_nowak"));
        Assert.Equal("Jan Kowalski", card.CallerName);
        Assert.Contains("menu steps", card.Missing);
        Assert.DoesNotContain("screen pop not recorded", transfer.Notes);
    }

    [Fact]
    public async Task StoreDown_TransferStillAnswered()
    {
        var broken = new Mock<IAgentCardStore>();
        broken.Setup(s => s.AddAsync(It.IsAny<AgentCard>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("storage down"));
        using var call = Harness(services => services.Replace(ServiceDescriptor.Singleton(broken.Object)));

        var transfer = await ToPersonAsync(call);

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        Assert.False(transfer.IsFallback);
        Assert.Contains("screen pop not recorded", transfer.Notes);
    }

    [Fact]
    public async Task StoreDown_TheErpCallRecordStillGetsTheCard()
    {
        var broken = new Mock<IAgentCardStore>();
        broken.Setup(s => s.AddAsync(It.IsAny<AgentCard>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("storage down"));
        using var call = Harness(services => services.Replace(ServiceDescriptor.Singleton(broken.Object)));
        await ToPersonAsync(call);

        await call.SendAsync("CallStatus", CallStatuses.Answer);

        var record = await ErpRecordAsync(call);
        Assert.Equal(CallOutcomes.Transferred, record.Outcome);
        Assert.Contains("Caller: Jan Kowalski, Hurtownia Kowalski", record.Card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreNotAnswering_TransferAnsweredAfterTheCardWriteBudget()
    {
        // Table Storage down: the write does not fail, it hangs (retries); the caller must not wait for it.
        EngineHarness? call = null;
        var silent = new Mock<IAgentCardStore>();
        silent.Setup(s => s.AddAsync(It.IsAny<AgentCard>(), It.IsAny<CancellationToken>()))
            .Returns(async (AgentCard card, CancellationToken token) =>
            {
                call!.Time.Advance(TimeSpan.FromMilliseconds(500));
                await Task.Delay(Timeout.Infinite, token);
                return card;
            });
        using var harness = Harness(services => services.Replace(ServiceDescriptor.Singleton(silent.Object)));
        call = harness;

        var transferring = ToPersonAsync(call);
        var finished = await Task.WhenAny(transferring, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.True(finished == transferring, "the transfer waited for a card write that does not answer");
        var transfer = await transferring;
        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        Assert.False(transfer.IsFallback);
        Assert.Contains("screen pop not recorded", transfer.Notes);
    }

    [Fact]
    public async Task TransferAnswered_ErpCallRecordKeepsTheCard()
    {
        using var call = Harness();
        await ToPersonAsync(call);

        await call.SendAsync("CallStatus", CallStatuses.Answer);

        var record = await ErpRecordAsync(call);
        Assert.Equal(CallOutcomes.Transferred, record.Outcome);
        Assert.Equal("am_nowak", record.TransferredTo);
        Assert.Contains("Caller: Jan Kowalski, Hurtownia Kowalski", record.Card, StringComparison.Ordinal);
        Assert.Contains("ZS/2026/000777", record.Card, StringComparison.Ordinal);
    }

    /// <summary>The ERP's call record once every call record command the call queued was processed: the last merged PATCH.</summary>
    private static async Task<UpdateCallRecordRequest> ErpRecordAsync(EngineHarness call)
    {
        var erp = new Mock<ErpClient>();
        var patches = new List<UpdateCallRecordRequest>();
        erp.Setup(e => e.CreateCallRecordAsync(It.IsAny<CreateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallRecord { Id = "cr-1", CallId = call.CallId });
        erp.Setup(e => e.UpdateCallRecordAsync("cr-1", It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, UpdateCallRecordRequest patch, CancellationToken _) =>
            {
                patches.Add(patch);
                return new CallRecord { Id = "cr-1", CallId = call.CallId };
            });
        var processor = new CallRecordProcessor(erp.Object, new InMemoryCallStateStore(TimeProvider.System, Options.Create(new InMemoryStateOptions())),
            NullLogger<CallRecordProcessor>.Instance);
        foreach (var message in call.Work.On(QueueNames.CallRecords))
        {
            await processor.ProcessAsync(new ReceivedWork(message, 1, call.Time.GetUtcNow()), CancellationToken.None);
        }

        return patches[^1];
    }

    private static EngineHarness Harness(Action<IServiceCollection>? services = null)
    {
        var call = new EngineHarness(services: services, configure: b => b.AddAgentPages());
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(Caller);
        call.Erp.Setup(e => e.GetContactAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Caller);
        call.Erp.Setup(e => e.GetOrdersAsync(Caller.Id, It.IsAny<IReadOnlyCollection<string>?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new Order { Id = "o-1", Number = "ZS/2026/000777", ContactId = Caller.Id, Status = OrderStatuses.Shipped, Total = 10m }]);
        call.Erp.Setup(e => e.GetOpenComplaintsAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        return call;
    }

    /// <summary>A VIP caller goes through the welcome and presses <paramref name="keys"/> at the menus, one per menu (then 0).</summary>
    private static async Task<FunctionsIvr.Calls.CallTurn> ToPersonAsync(EngineHarness call, params string[] keys)
    {
        var turn = await call.SendAsync("Connected");
        var menus = 0;
        for (var i = 0; i < 20 && turn.Action.Type != IvrActionTypes.CallByObjectLogin; i++)
        {
            turn = turn.Action.Type == IvrActionTypes.GetDtmf
                ? await call.PressAsync(menus < keys.Length ? keys[menus++] : "0")
                : await call.SendAsync(turn.Action.Type);
        }

        return turn;
    }

    private static IAgentCardStore Store(EngineHarness call) => call.Services.GetRequiredService<IAgentCardStore>();
}
