using Azure;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace FunctionsIvr.Tests.Calls.Transfer;

public class TransferFlowTests
{
    [Fact]
    public async Task QueueNotAnswered_ApologyThenHangup()
    {
        using var call = await AtTeamQueue();

        var sorry = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 9", Listening.Heard(sorry.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task QueueNotAnswered_NobodyAnsweredEscalationWithContextAndRecipient()
    {
        using var call = await AtTeamQueue();

        await call.SendAsync("CallStatus", CallStatuses.Busy);

        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal($"nobody-answered-{call.CallId}", message.MessageId);
        Assert.Equal(EscalationReason.NobodyAnswered, escalation.Reason);
        Assert.Equal("transfer_queue", escalation.Step);
        Assert.Equal("48600100200", escalation.CallerNumber);
        Assert.Equal("Hurtownia Kowalski", escalation.Company);
        Assert.Equal("Anna Nowak", escalation.Recipient?.Name);
        Assert.Equal(EscalationChannel.Email, escalation.Recipient?.PreferredChannel);
        Assert.Contains("am_nowak", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("kolejka_sprzedaz", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("Busy", escalation.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("anonymous")]
    public async Task QueueNotAnswered_WithheldNumberAndNoAccount_ApologyNoCallBackPromisedOrEscalated(string withheld)
    {
        using var call = new EngineHarness { FromNumber = withheld };
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Contact?)null);
        await call.SendAsync("Connected");
        await call.SendAsync("Play");
        Assert.Equal(IvrActionTypes.CallByObjectLogin, (await call.SendAsync("GetDTMF", "0")).Action.Type);
        await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        var last = await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        Assert.Equal("Play 8", Listening.Heard(last.Action));
        Assert.Empty(call.Work.On(QueueNames.Escalations));
        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Abandoned, update.Outcome);
    }

    [Fact]
    public async Task QueueNotAnswered_GuestWithANumber_CallBackPromisedAndEscalated()
    {
        using var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Contact?)null);
        await call.SendAsync("Connected");
        await call.SendAsync("Play");
        await call.SendAsync("GetDTMF", "0");
        await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        var last = await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        Assert.Equal("Play 9", Listening.Heard(last.Action));
        Assert.Single(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task QueueNotAnswered_CallRecordAbandoned()
    {
        using var call = await AtTeamQueue();

        await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Abandoned, update.Outcome);
        Assert.NotNull(update.EndedAt);
    }

    [Fact]
    public async Task QueueNotAnswered_QueueAndStorageDown_TheApologyNotACallBackPromise()
    {
        // The call back is lost (nowhere to queue or park it): "we will call you back" would be a promise nobody keeps.
        var storage = new Mock<IUnsentWorkStore>();
        storage.Setup(s => s.ParkAsync(It.IsAny<UnsentWork>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(0, "Connection refused"));
        using var call = new EngineHarness(services: s => s.Replace(ServiceDescriptor.Singleton(storage.Object)));
        await call.AtMenuAsync();
        await call.PressAsync("0");
        await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        call.Work.FailNext(1000);

        var last = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 8", Listening.Heard(last.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        Assert.Empty(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task QueueNotAnswered_QueueDown_CallerStillHearsTheApologyAndTheEscalationIsParked()
    {
        using var call = await AtTeamQueue();
        call.Work.FailNext(10);

        var sorry = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.False(sorry.IsFallback);
        Assert.Equal("Play 9", Listening.Heard(sorry.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        Assert.Contains(sorry.Notes, n => n.StartsWith("Escalation not queued after 2 tries (HttpRequestException): parked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccountManagerAnswers_CallRecordTransferredToThem()
    {
        using var call = await AtAccountManager();

        await call.SendAsync("CallStatus", CallStatuses.Answer);

        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Transferred, update.Outcome);
        Assert.Equal("am_nowak", update.TransferredTo);
        Assert.Null(update.EndedAt);
        Assert.Empty(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task QueueAnswers_CallRecordTransferredToTheQueue()
    {
        using var call = await AtTeamQueue();

        var end = await call.SendAsync("CallStatus", CallStatuses.Answer);

        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        Assert.Equal("kolejka_sprzedaz", update.TransferredTo);
    }

    [Fact]
    public async Task AccountManagerDialFails_FallbackQueueNotAnswered_NobodyAvailableAndEscalated()
    {
        using var call = await AtAccountManager();

        var apology = await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        var queue = await call.SendAsync("Play");
        var sorry = await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 8", Listening.Heard(apology.Action));
        Assert.Equal("CallByObjectLogin kolejka_sprzedaz", Listening.Heard(queue.Action));
        Assert.Equal("Play 9", Listening.Heard(sorry.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal(EscalationReason.NobodyAnswered, escalation.Reason);
        Assert.Equal("fallback_queue", escalation.Step);
        Assert.Equal("Anna Nowak", escalation.Recipient?.Name);
        Assert.Contains("transfer_agent", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("Noanswer", escalation.Detail, StringComparison.Ordinal);
        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Abandoned, update.Outcome);
        Assert.NotNull(update.EndedAt);
    }

    /// <summary>Both dials fail the same way (the SIP set-up, say): the caller still ends with the call-back promise, and it is raised.</summary>
    [Fact]
    public async Task AccountManagerDialFails_FallbackQueueDialFailsToo_NobodyAvailableAndEscalated()
    {
        using var call = await AtAccountManager();

        await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        var queue = await call.SendAsync("Play");
        var apology = await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        var sorry = await call.SendAsync("Play");
        var end = await call.SendAsync("Play");

        Assert.Equal("CallByObjectLogin kolejka_sprzedaz", Listening.Heard(queue.Action));
        Assert.Equal("Play 8", Listening.Heard(apology.Action));
        Assert.Equal("Play 9", Listening.Heard(sorry.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        Assert.Equal(EscalationReason.NobodyAnswered, EscalationMessages.Parse(message.Body, message.MessageId).Reason);
        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Abandoned, update.Outcome);
    }

    [Fact]
    public async Task TeamQueueDialFails_ApologyThenNobodyAvailable_QueueNotDialledAgain()
    {
        using var call = await AtTeamQueue();

        var apology = await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        var sorry = await call.SendAsync("Play");
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 8", Listening.Heard(apology.Action));
        Assert.Equal("Play 9", Listening.Heard(sorry.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal(EscalationReason.NobodyAnswered, escalation.Reason);
        Assert.Equal("transfer_queue", escalation.Step);
        Assert.Contains("not dialled again", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountManagerDialFails_FallbackQueueAnswers_CallRecordTransferredToTheQueue()
    {
        using var call = await AtAccountManager();
        await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        await call.SendAsync("Play");

        var end = await call.SendAsync("CallStatus", CallStatuses.Answer);

        var update = call.Work.Body<UpdateCallRecord>(call.Work.On(QueueNames.CallRecords).Last(), CallRecordMessages.JsonOptions);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        Assert.Equal(CallOutcomes.Transferred, update.Outcome);
        Assert.Equal("kolejka_sprzedaz", update.TransferredTo);
        Assert.Empty(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task NobodyAvailablePromptFails_ApologyThenHangup_NotTheQueueAgain()
    {
        using var call = await AtTeamQueue();
        await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        var apology = await call.SendAsync("Play", error: new IvrError("7", "prompt missing"));
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 8", Listening.Heard(apology.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        Assert.Single(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task FallbackNobodyAvailablePromptFails_FinalMessageThenHangup_NoLoop()
    {
        using var call = await AtAccountManager();
        await call.SendAsync("CallStatus", CallStatuses.Error, new IvrError("4", "no SIP account"));
        await call.SendAsync("Play");
        await call.SendAsync("CallStatus", CallStatuses.Noanswer);

        var final = await call.SendAsync("Play", error: new IvrError("7", "prompt missing"));
        var end = await call.SendAsync("Play", error: new IvrError("7", "prompt missing"));

        Assert.Equal("Play 8", Listening.Heard(final.Action));
        Assert.Equal("end", final.Session.Step);
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
        Assert.Single(call.Work.On(QueueNames.Escalations));
    }

    private static async Task<EngineHarness> AtAccountManager()
    {
        var contact = EngineHarness.RegularCustomer with
        {
            AccountManager = new AccountManager { Login = "am_nowak", Name = "Anna Nowak", Email = "anna.nowak@example.com" },
        };
        var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(contact);
        call.Erp.Setup(e => e.GetContactAsync(contact.Id, It.IsAny<CancellationToken>())).ReturnsAsync(contact);
        await call.AtMenuAsync();
        await call.PressAsync("0");
        return call;
    }

    private static async Task<EngineHarness> AtTeamQueue()
    {
        var call = await AtAccountManager();
        await call.SendAsync("CallStatus", CallStatuses.Noanswer);
        return call;
    }
}
