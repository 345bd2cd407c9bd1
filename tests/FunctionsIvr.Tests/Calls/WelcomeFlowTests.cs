using Azure;
using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace FunctionsIvr.Tests.Calls;

public class WelcomeFlowTests
{
    [Fact]
    public async Task Connected_AutoAnswerPanel_GreetsWithWelcomePrompt()
    {
        using var call = new EngineHarness();

        var turn = await call.SendAsync("Connected");

        Assert.Equal(IvrActionTypes.Play, turn.Action.Type);
        Assert.Equal("1", turn.Action["Prompt"]);
        Assert.Equal("greeting", turn.Session.Step);
        Assert.Equal("C-1001", turn.Session.Get(CallerKeys.ContactId));
        Assert.Equal(1, turn.Session.Steps);
    }

    [Fact]
    public async Task Connected_AppAnswersCalls_AnswersFirstThenGreets()
    {
        using var call = new EngineHarness(new() { ["Ivr:AnswerMode"] = "App" });

        var answer = await call.SendAsync("Connected");
        var greeting = await call.SendAsync("Answer");

        Assert.Equal(IvrActionTypes.Answer, answer.Action.Type);
        Assert.Equal(IvrActionTypes.Play, greeting.Action.Type);
        Assert.Equal("1", greeting.Action["Prompt"]);
    }

    [Fact]
    public async Task Welcome_Finished_AsksMainMenuWithOneDigit()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");

        var menu = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.GetDtmf, menu.Action.Type);
        Assert.Equal("2", menu.Action["Prompt"]);
        Assert.Equal("1", menu.Action["MaxDigits"]);
        Assert.Equal("5000", menu.Action["Timeout"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("timeout")]
    [InlineData("*")]
    public async Task Menu_NoOrWrongKey_AsksAgainWithRetryPrompt(string eventData)
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play");

        var again = await call.SendAsync("GetDTMF", eventData);

        Assert.Equal(IvrActionTypes.GetDtmf, again.Action.Type);
        Assert.Equal("3", again.Action["Prompt"]);
        Assert.Equal(1, again.Session.Tries);
    }

    [Fact]
    public async Task Menu_ThreeFailedTries_TransfersToAPerson()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play");
        await call.SendAsync("GetDTMF", "");
        await call.SendAsync("GetDTMF", "*");

        var transfer = await call.SendAsync("GetDTMF", "");

        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        Assert.Equal("agent_default", transfer.Action["Destination"]);
        Assert.Equal("PlayCallStatus,RingTones,Timeout=15", transfer.Action["Options"]);
    }

    [Fact]
    public async Task Menu_ZeroWithHash_TransfersToAgent()
    {
        using var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play");

        var transfer = await call.SendAsync("GetDTMF", "0#");

        Assert.Equal("agent_default", transfer.Action["Destination"]);
    }

    [Theory]
    [InlineData(CallStatuses.Busy)]
    [InlineData(CallStatuses.Noanswer)]
    [InlineData(CallStatuses.Cancel)]
    [InlineData(CallStatuses.Error)]
    public async Task Agent_NotAnswered_TriesTeamQueue(string status)
    {
        using var call = await AtAgentTransfer();

        var queue = await call.SendAsync("CallStatus", status);

        Assert.Equal(IvrActionTypes.CallByObjectLogin, queue.Action.Type);
        Assert.Equal("kolejka_sprzedaz", queue.Action["Destination"]);
        Assert.Equal("PlayCallStatus,RingTones,Timeout=30", queue.Action["Options"]);
    }

    [Fact]
    public async Task Agent_Answered_HangsUpOurLeg()
    {
        using var call = await AtAgentTransfer();

        var end = await call.SendAsync("CallStatus", CallStatuses.Answer);

        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task Queue_NotAnswered_ApologisesThenHangsUp()
    {
        using var call = await AtAgentTransfer();
        await call.SendAsync("CallStatus", CallStatuses.Busy);

        var sorry = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.Equal(IvrActionTypes.Play, sorry.Action.Type);
        Assert.Equal("9", sorry.Action["Prompt"]);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task SameCallbackTwice_SameAnswer()
    {
        using var call = await AtAgentTransfer();
        var before = call.Session;

        var first = await call.StartAsync("CallStatus", CallStatuses.Busy);
        var second = await call.StartAsync("CallStatus", CallStatuses.Busy);

        Assert.Equal(first.Action.Type, second.Action.Type);
        Assert.Equal(first.Action.Parameters, second.Action.Parameters);
        Assert.Equal(first.Session, second.Session);
        Assert.Same(before, call.Session);
    }

    [Fact]
    public async Task UnknownNumber_GuestWelcomeThenGuestMenu()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Contact?)null);

        var welcome = await call.SendAsync("Connected");
        var menu = await call.SendAsync("Play");

        Assert.Equal("10", welcome.Action["Prompt"]);
        Assert.Equal("13", menu.Action["Prompt"]);
        Assert.Null(menu.Session.Get(CallerKeys.ContactId));
    }

    [Fact]
    public async Task ErpDown_CallerServedAsGuest()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"));

        var welcome = await call.SendAsync("Connected");

        Assert.Equal("10", welcome.Action["Prompt"]);
        Assert.Contains(welcome.Notes, n => n.Contains("Unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BlockedCaller_PolitelyDeclinedThenHangup()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(EngineHarness.RegularCustomer with { Blocked = true });

        var declined = await call.SendAsync("Connected");
        var end = await call.SendAsync("Play");

        Assert.Equal("12", declined.Action["Prompt"]);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task BlockedCaller_AccountManagerIsToldBeforeTheRefusal()
    {
        using var call = new EngineHarness();
        var blocked = EngineHarness.RegularCustomer with
        {
            Blocked = true,
            AccountManager = new AccountManager { Login = "am_nowak", Name = "Anna Nowak", Email = "anna.nowak@example.com" },
        };
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(blocked);
        call.Erp.Setup(e => e.GetContactAsync(blocked.Id, It.IsAny<CancellationToken>())).ReturnsAsync(blocked);

        var declined = await call.SendAsync("Connected");

        Assert.Equal("12", declined.Action["Prompt"]);
        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal(EscalationReason.BlockedCaller, escalation.Reason);
        Assert.Equal($"blocked-caller-{call.CallId}", message.MessageId);
        Assert.Equal("C-1001", escalation.ContactId);
        Assert.Equal(Steps.Blocked, escalation.Step);
        Assert.Equal("Anna Nowak", escalation.Recipient?.Name);
    }

    [Fact]
    public async Task BlockedCaller_CallingAgainTheSameDay_AccountManagerToldOnceADay()
    {
        // Three calls from one blocked customer on one day, one the next day: two notices, one per day; every call refused.
        var blocked = EngineHarness.RegularCustomer with { Blocked = true };
        using var first = BlockedCall(blocked);
        var store = first.Services.GetRequiredService<ICallStateStore>();
        using var second = BlockedCall(blocked, store);
        using var third = BlockedCall(blocked, store);
        using var nextDay = BlockedCall(blocked, store);
        second.Time.Advance(TimeSpan.FromHours(1));
        third.Time.Advance(TimeSpan.FromHours(5));
        nextDay.Time.Advance(TimeSpan.FromDays(1));
        EngineHarness[] calls = [first, second, third, nextDay];

        foreach (var call in calls)
        {
            var declined = await call.SendAsync("Connected");
            Assert.Equal("12", declined.Action["Prompt"]);
        }

        Assert.Equal([1, 0, 0, 1], calls.Select(c => c.Work.On(QueueNames.Escalations).Count()));
        // A repeated callback of the call that was told is refused again and raises nothing new.
        calls[0].UseSession(null);
        Assert.Equal("12", (await calls[0].SendAsync("Connected")).Action["Prompt"]);
        Assert.Single(calls[0].Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task BlockedCaller_OneCallEitherSideOfMidnightInTheBusinessTimeZone_ToldForEachDay()
    {
        // 22:30 and 23:30 UTC on 10 March 2025 are 23:30 on the 10th and 00:30 on the 11th in Warsaw: two business days.
        var blocked = EngineHarness.RegularCustomer with { Blocked = true };
        using var late = BlockedCall(blocked);
        using var afterMidnight = BlockedCall(blocked, late.Services.GetRequiredService<ICallStateStore>());
        late.Time.Advance(TimeSpan.FromHours(13.5));
        afterMidnight.Time.Advance(TimeSpan.FromHours(14.5));

        await late.SendAsync("Connected");
        await afterMidnight.SendAsync("Connected");

        Assert.Single(late.Work.On(QueueNames.Escalations));
        Assert.Single(afterMidnight.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task BlockedCaller_StateStoreDown_AccountManagerStillTold()
    {
        var store = new Mock<ICallStateStore>();
        store.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "down"));
        using var call = BlockedCall(EngineHarness.RegularCustomer with { Blocked = true }, store.Object);

        var declined = await call.SendAsync("Connected");

        Assert.Equal("12", declined.Action["Prompt"]);
        Assert.Single(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task BlockedCaller_RefusalFails_ApologyThenHangup_NotPutThroughToTheTeam()
    {
        // The platform could not play the refusal: the generic fallback would dial the team queue for a refused caller.
        using var call = BlockedCall(EngineHarness.RegularCustomer with { Blocked = true });

        var refused = await call.SendAsync("Connected");
        var apology = await call.SendAsync("Play", "", new IvrError("7", "prompt could not be played"));
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 12", Listening.Heard(refused.Action));
        Assert.Equal("Play 8", Listening.Heard(apology.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    private static EngineHarness BlockedCall(Contact blocked, ICallStateStore? sharedStore = null)
    {
        var call = new EngineHarness(services: sharedStore is null ? null : s => s.AddSingleton(sharedStore));
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(blocked);
        return call;
    }

    [Fact]
    public async Task Vip_OfferedAccountManagerFirst()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(EngineHarness.RegularCustomer with
            {
                Segment = ContactSegments.Vip,
                AccountManager = new AccountManager { Login = "am_nowak", Name = "Anna Nowak" },
            });
        await call.SendAsync("Connected");

        var offer = await call.SendAsync("Play");
        var transfer = await call.SendAsync("GetDTMF", "1");

        Assert.Equal("11", offer.Action["Prompt"]);
        Assert.Equal(IvrActionTypes.CallByObjectLogin, transfer.Action.Type);
        Assert.Equal("am_nowak", transfer.Action["Destination"]);
    }

    [Fact]
    public async Task Vip_OnACampaignNumber_DecliningTheAccountManagerGoesWhereTheCampaignStarts()
    {
        using var call = new EngineHarness(new()
        {
            ["Campaigns:Numbers:0:Id"] = "autumn",
            ["Campaigns:Numbers:0:DialledNumber"] = "221234567",
            ["Campaigns:Numbers:0:StartStep"] = Steps.Faq,
        });
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(EngineHarness.RegularCustomer with
            {
                Segment = ContactSegments.Vip,
                AccountManager = new AccountManager { Login = "am_nowak", Name = "Anna Nowak" },
            });
        await call.SendAsync("Connected");
        await call.SendAsync("Play");

        var next = await call.SendAsync("GetDTMF", "");

        Assert.Equal("GetDTMF 74", Listening.Heard(next.Action));
    }

    [Fact]
    public async Task CampaignNumber_PlaysCampaignWelcome()
    {
        using var call = new EngineHarness(new()
        {
            ["Campaigns:Numbers:0:Id"] = "spring-fair",
            ["Campaigns:Numbers:0:DialledNumber"] = "221234567",
            ["Campaigns:Numbers:0:WelcomePrompt"] = "campaign_spring",
            ["Prompts:campaign_spring"] = "40",
        });

        var welcome = await call.SendAsync("Connected");

        Assert.Equal("40", welcome.Action["Prompt"]);
        Assert.Equal("spring-fair", welcome.Session.Get(CallerKeys.Campaign));
    }

    private static async Task<EngineHarness> AtAgentTransfer()
    {
        var call = new EngineHarness();
        await call.SendAsync("Connected");
        await call.SendAsync("Play");
        await call.SendAsync("GetDTMF", "0");
        return call;
    }
}
