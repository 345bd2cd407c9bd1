using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace FunctionsIvr.Tests.Calls.People;

public class CallbackFlowTests
{
    private static readonly Contact WithAccountManager = EngineHarness.RegularCustomer with
    {
        Segment = "standard",
        AccountManager = new AccountManager
        {
            Login = "am_nowak", Name = "Anna Nowak", Email = "anna.nowak@example.com", WhatsApp = "+48601200300",
            PreferredChannel = ContactChannels.WhatsApp,
        },
    };

    [Fact]
    public async Task Callback_FromMainMenu_AsksToConfirm()
    {
        using var call = new EngineHarness();
        await call.AtMenuAsync();

        var confirm = await call.PressAsync("9");

        Assert.Equal("GetDTMF 79", Listening.Heard(confirm.Action));
    }

    [Fact]
    public async Task CallbackConfirmed_PromisedThenHangsUp()
    {
        using var call = await AtConfirm(WithAccountManager);

        var promised = await call.PressAsync("1");
        var end = await call.SendAsync("Play");

        Assert.Equal("Play 80", Listening.Heard(promised.Action));
        Assert.Equal(IvrActionTypes.Hangup, end.Action.Type);
    }

    [Fact]
    public async Task CallbackConfirmed_EscalationToTheAccountManagerWithTheCallsContext()
    {
        using var call = await AtConfirm(WithAccountManager);

        await call.PressAsync("1");

        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal($"callback-requested-{call.CallId}", message.MessageId);
        Assert.Equal(EscalationReason.CallbackRequested, escalation.Reason);
        Assert.Equal(call.CallId, escalation.CallId);
        Assert.Equal("48600100200", escalation.CallerNumber);
        Assert.Equal("C-1001", escalation.ContactId);
        Assert.Equal("Jan Kowalski", escalation.ContactName);
        Assert.Equal("Hurtownia Kowalski", escalation.Company);
        Assert.Equal("standard", escalation.Segment);
        Assert.Equal("callback_request", escalation.Step);
        Assert.Equal(ManualTimeProvider.DefaultStart, escalation.CallStartedAt);
        Assert.Equal(new EscalationRecipient
        {
            Name = "Anna Nowak", Email = "anna.nowak@example.com", WhatsAppNumber = "+48601200300", PreferredChannel = EscalationChannel.WhatsApp,
        }, escalation.Recipient);
    }

    [Fact]
    public async Task CallbackConfirmed_NoAccountManager_EscalationToTheTeam()
    {
        using var call = await AtConfirm(EngineHarness.RegularCustomer);

        await call.PressAsync("1");

        var escalation = Escalation(call);
        Assert.Null(escalation.Recipient);
        Assert.Equal("C-1001", escalation.ContactId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task CallbackConfirmed_AccountManagerWithoutName_EscalationToTheTeamThatCanBeRead(string name)
    {
        using var call = await AtConfirm(WithAccountManager with { AccountManager = WithAccountManager.AccountManager! with { Name = name } });

        var promised = await call.PressAsync("1");

        Assert.Equal("Play 80", Listening.Heard(promised.Action));
        var escalation = Escalation(call);
        Assert.Null(escalation.Recipient);
        Assert.Equal("C-1001", escalation.ContactId);
    }

    [Fact]
    public async Task CallbackConfirmed_ErpCannotSayWhoManagesTheAccount_TeamIsToldWhy()
    {
        using var call = await AtConfirm(WithAccountManager);
        call.Erp.Setup(e => e.GetContactAsync("C-1001", It.IsAny<CancellationToken>())).ThrowsAsync(new ErpException(ErpErrorKind.Timeout, "slow"));

        var promised = await call.PressAsync("1");

        var escalation = Escalation(call);
        Assert.Equal("Play 80", Listening.Heard(promised.Action));
        Assert.Null(escalation.Recipient);
        Assert.Contains("Timeout", escalation.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallbackConfirmed_RepeatedCallback_OneEscalation()
    {
        using var call = await AtConfirm(WithAccountManager);

        await call.StartAsync("GetDTMF", "1");
        await call.StartAsync("GetDTMF", "1");

        Assert.Single(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task CallbackConfirmed_QueueDown_EscalationParkedThePromiseStandsAndTheCallLogSaysSo()
    {
        using var call = await AtConfirm(WithAccountManager);
        call.Work.FailNext(4);

        var answer = await call.PressAsync("1");

        Assert.Equal("Play 80", Listening.Heard(answer.Action));
        Assert.Empty(call.Work.On(QueueNames.Escalations));
        var parked = Assert.Single(await call.Services.GetRequiredService<IUnsentWorkStore>().ListAsync(), w => w.Message.QueueName == QueueNames.Escalations);
        Assert.Equal($"callback-requested-{call.CallId}", parked.Message.MessageId);
        Assert.Contains(answer.Notes, n => n.StartsWith("Escalation not queued after 2 tries (HttpRequestException): parked", StringComparison.Ordinal));
        Assert.Contains(answer.Notes, n => n.StartsWith("escalation callback-requested raised", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallbackConfirmed_QueueFailsOnce_RetriedAndSent()
    {
        using var call = await AtConfirm(WithAccountManager);
        call.Work.FailNext(1);

        await call.PressAsync("1");

        Assert.Single(call.Work.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task CallbackConfirmed_CallRecordClosedWithOutcomeOther()
    {
        using var call = await AtConfirm(WithAccountManager);

        await call.PressAsync("1");

        var message = call.Work.On(QueueNames.CallRecords).Last();
        var update = call.Work.Body<UpdateCallRecord>(message, CallRecordMessages.JsonOptions);
        Assert.Equal(CallOutcomes.Other, update.Outcome);
        Assert.Equal(call.Time.GetUtcNow(), update.EndedAt);
        Assert.StartsWith($"update-{call.CallId}-", message.MessageId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("*")]
    public async Task CallbackNotConfirmed_BackToMainMenuNothingRaised(string key)
    {
        using var call = await AtConfirm(WithAccountManager);

        var menu = await call.PressAsync(key);

        Assert.Equal("GetDTMF 2", Listening.Heard(menu.Action));
        Assert.Empty(call.Work.On(QueueNames.Escalations));
    }

    private static async Task<EngineHarness> AtConfirm(Contact contact)
    {
        var call = new EngineHarness();
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(contact);
        call.Erp.Setup(e => e.GetContactAsync(contact.Id, It.IsAny<CancellationToken>())).ReturnsAsync(contact);
        await call.AtMenuAsync();
        await call.PressAsync("9");
        return call;
    }

    private static Escalation Escalation(EngineHarness call)
    {
        var message = Assert.Single(call.Work.On(QueueNames.Escalations));
        return EscalationMessages.Parse(message.Body, message.MessageId);
    }
}
