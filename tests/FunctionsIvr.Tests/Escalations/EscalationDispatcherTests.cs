using System.Collections.Concurrent;
using FunctionsIvr.Escalations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Escalations;

public sealed class EscalationDispatcherTests
{
    private readonly ScriptedChannel _ticket = new(EscalationChannel.Ticket);
    private readonly ScriptedChannel _email = new(EscalationChannel.Email);
    private readonly ScriptedChannel _whatsApp = new(EscalationChannel.WhatsApp);

    [Fact]
    public async Task Dispatch_PreferredWhatsAppWorks_MessagesRecipientAndTicketSaysSo()
    {
        var sut = CreateSut();

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp));

        Assert.Equal(EscalationChannel.WhatsApp, result.NotifiedBy);
        Assert.Equal("+48 600 200 300", Assert.Single(_whatsApp.Deliveries).To);
        Assert.Empty(_email.Deliveries);
        var ticket = Assert.Single(_ticket.Deliveries);
        Assert.Equal("anna.nowak@example.com", ticket.To);
        Assert.Contains("Sent to Anna Nowak by WhatsApp (WhatsApp receipt 1).", ticket.Notes);
    }

    [Fact]
    public async Task Dispatch_PreferredWhatsAppAsFreeTextThroughTheCloudApi_EmailIsSentAsWell()
    {
        var sut = CreateSut(CloudApiWhatsApp(templateName: null));

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp));

        Assert.Single(_whatsApp.Deliveries);
        Assert.Equal("anna.nowak@example.com", Assert.Single(_email.Deliveries).To);
        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
        var notes = Assert.Single(_ticket.Deliveries).Notes;
        Assert.Contains(notes, n => n.StartsWith("Sent to Anna Nowak by WhatsApp as free text (WhatsApp receipt 1), unconfirmed", StringComparison.Ordinal));
        Assert.Contains("Sent to Anna Nowak by e-mail as well (e-mail receipt 1).", notes);
    }

    [Fact]
    public async Task Dispatch_PreferredWhatsAppAsTemplateThroughTheCloudApi_NoEmail()
    {
        var sut = CreateSut(CloudApiWhatsApp(templateName: "ivr_escalation"));

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp));

        Assert.Equal(EscalationChannel.WhatsApp, result.NotifiedBy);
        Assert.Empty(_email.Deliveries);
    }

    [Fact]
    public async Task Dispatch_EmailStillFailingTransientlyAndFallbackIsFreeTextWhatsApp_ThrowsForRedeliveryInsteadOfFallingBack()
    {
        _email.FailNext(transient: true, "SMTP 421: service not available");
        var options = CloudApiWhatsApp(templateName: null);
        options.FallbackAfterDeliveries = 3;
        var sut = CreateSut(options);

        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(), deliveryCount: 3));

        Assert.Empty(_whatsApp.Deliveries);
        Assert.Empty(_ticket.Deliveries);
    }

    [Fact]
    public async Task Dispatch_PreferredFailsPermanently_FallsBackToEmailAndTicketSaysWhy()
    {
        _whatsApp.FailNext(transient: false, "WhatsApp Cloud API answered 400 (#131047) Re-engagement message");
        var sut = CreateSut();

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp));

        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
        var email = Assert.Single(_email.Deliveries);
        Assert.Equal("anna.nowak@example.com", email.To);
        Assert.Contains(email.Notes, n => n.Contains("#131047", StringComparison.Ordinal));
        var ticket = Assert.Single(_ticket.Deliveries);
        Assert.Contains(ticket.Notes, n => n.StartsWith("WhatsApp to Anna Nowak failed (permanent)", StringComparison.Ordinal));
        Assert.Contains(ticket.Notes, n => n.StartsWith("Sent to Anna Nowak by e-mail instead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_PreferredFailsTransientlyOnFirstDelivery_ThrowsForRedeliveryWithoutTicketOrFallback()
    {
        _email.FailNext(transient: true, "SMTP 451: try later");
        var sut = CreateSut();

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(), deliveryCount: 1));

        Assert.True(error.IsTransient);
        Assert.Empty(_whatsApp.Deliveries);
        Assert.Empty(_ticket.Deliveries);
    }

    [Fact]
    public async Task Dispatch_PreferredStillFailingTransientlyAtFallbackDelivery_FallsBack()
    {
        _email.FailNext(transient: true, "SMTP failure: connection refused");
        var sut = CreateSut(new EscalationOptions { FallbackAfterDeliveries = 3 });

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered(), deliveryCount: 3);

        Assert.Equal(EscalationChannel.WhatsApp, result.NotifiedBy);
        Assert.Contains(Assert.Single(_ticket.Deliveries).Notes, n => n.Contains("still failing on delivery 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_EmailOnlyRecipientStillFailingTransientlyAtFallbackDelivery_ThrowsForRedeliveryWithoutTicket()
    {
        _email.FailNext(transient: true, "SMTP 421: service not available");
        var sut = CreateSut(new EscalationOptions { FallbackAfterDeliveries = 3 });

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(EmailOnly(), deliveryCount: 3));

        Assert.True(error.IsTransient);
        Assert.Empty(_ticket.Deliveries);
    }

    [Fact]
    public async Task Dispatch_FallbackFailedForGoodAndItStillFailsTransientlyAtFallbackDelivery_ThrowsForRedelivery()
    {
        _whatsApp.FailNext(transient: false, "not a WhatsApp user");
        _email.FailNext(transient: true, "SMTP 421: service not available");
        _email.FailNext(transient: true, "SMTP 421: service not available");
        var sut = CreateSut(new EscalationOptions { FallbackAfterDeliveries = 3 });
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp);

        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(escalation, deliveryCount: 2));
        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(escalation, deliveryCount: 3));
        var result = await sut.DispatchAsync(escalation, deliveryCount: 4);

        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
        Assert.Equal(3, _email.Attempts);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(10)]
    public async Task Dispatch_EmailOnlyRecipientStillFailingTransientlyInTheLastDeliveries_TicketIsCreatedAndSaysTheEmailFailed(int deliveryCount)
    {
        _email.FailNext(transient: true, "SMTP 421: service not available");
        var sut = CreateSut();

        var result = await sut.DispatchAsync(EmailOnly(), deliveryCount: deliveryCount);

        Assert.Null(result.NotifiedBy);
        var ticket = Assert.Single(_ticket.Deliveries);
        Assert.Equal("anna.nowak@example.com", ticket.To);
        Assert.Contains(ticket.Notes, n => n.StartsWith($"E-mail to Anna Nowak failed (still failing on delivery {deliveryCount}): SMTP 421", StringComparison.Ordinal));
    }

    /// <summary>A queue allowing four deliveries: the e-mail keeps two tries with backoff, the ticket keeps the last.</summary>
    [Fact]
    public async Task Dispatch_FewDeliveriesAllowed_TheEmailIsStillRetriedBeforeItIsGivenUp()
    {
        _email.FailNext(transient: true, "SMTP 421: service not available");
        _email.FailNext(transient: true, "SMTP 421: service not available");
        var sut = CreateSut(new EscalationOptions { MaxDeliveryCount = 4 });

        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(EmailOnly(), deliveryCount: 2));
        var result = await sut.DispatchAsync(EmailOnly(), deliveryCount: 3);

        Assert.Null(result.NotifiedBy);
        Assert.Single(_ticket.Deliveries);
    }

    /// <summary>The e-mail is given up three deliveries before the last, so a helpdesk failing at that moment gets three more tries.</summary>
    [Fact]
    public async Task Dispatch_EmailGivenUpAndTheTicketFailsTransiently_RedeliveryCreatesTheTicketWithoutTheEmail()
    {
        _email.FailNext(transient: true, "SMTP 421: service not available");
        _ticket.FailNext(transient: true, "helpdesk 503");
        var sut = CreateSut();

        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(EmailOnly(), deliveryCount: 7));
        var result = await sut.DispatchAsync(EmailOnly(), deliveryCount: 8);

        Assert.Null(result.NotifiedBy);
        Assert.Single(_ticket.Deliveries);
        Assert.Empty(_email.Deliveries);
    }

    [Fact]
    public async Task Dispatch_EmailOnlyRecipientWhileTheRelayAnswers421_TheEmailIsSentWhenTheRelayRecovers()
    {
        await using var smtp = SmtpTestServer.Start();
        smtp.DataReply = "421 4.3.2 Service not available, try later";
        var folder = EscalationTestData.NewTempFolder();
        try
        {
            var email = new SmtpEmailChannel(
                new EmailChannelOptions { Host = "127.0.0.1", Port = smtp.Port, EnableSsl = false, From = "FunctionsIvr <ivr@functionsivr.test>" },
                folder, new EscalationText(new EscalationOptions()), NullLogger<SmtpEmailChannel>.Instance);
            var sut = new EscalationDispatcher(
                [_ticket, email, _whatsApp], Options.Create(new EscalationOptions { FallbackAfterDeliveries = 3 }), NullLogger<EscalationDispatcher>.Instance);
            var escalation = EmailOnly();

            for (var delivery = 1; delivery <= 4; delivery++)
                await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(escalation, delivery));
            smtp.DataReply = null;
            var result = await sut.DispatchAsync(escalation, deliveryCount: 5);

            Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
            Assert.Contains("anna.nowak@example.com", Assert.Single(smtp.Messages).Raw, StringComparison.Ordinal);
            Assert.Contains(Assert.Single(_ticket.Deliveries).Notes, n => n.StartsWith("Sent to Anna Nowak by e-mail", StringComparison.Ordinal));
        }
        finally
        {
            EscalationTestData.DeleteFolder(folder);
        }
    }

    [Fact]
    public async Task Dispatch_RedeliveredAfterTicketFailed_DoesNotMessageTheRecipientTwice()
    {
        _ticket.FailNext(transient: true, "Helpdesk answered 503");
        var sut = CreateSut();
        var escalation = EscalationTestData.VipNobodyAnswered();

        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(escalation, deliveryCount: 1));
        var result = await sut.DispatchAsync(escalation, deliveryCount: 2);

        Assert.Single(_email.Deliveries);
        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
        Assert.Contains("Sent to Anna Nowak by e-mail (e-mail receipt 1).", Assert.Single(_ticket.Deliveries).Notes);
    }

    [Fact]
    public async Task Dispatch_PreferredFailedForGoodThenFallbackTransient_RedeliveryGoesStraightToFallback()
    {
        _whatsApp.FailNext(transient: false, "not a WhatsApp user");
        _email.FailNext(transient: true, "SMTP 421: service not available");
        var sut = CreateSut();
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp);

        await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(escalation, deliveryCount: 1));
        var result = await sut.DispatchAsync(escalation, deliveryCount: 2);

        Assert.Equal(1, _whatsApp.Attempts);
        Assert.Equal(2, _email.Attempts);
        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
    }

    [Fact]
    public async Task Dispatch_AllDelivered_RedeliveryOfTheSameMessageSendsNothing()
    {
        var sut = CreateSut();
        var escalation = EscalationTestData.VipNobodyAnswered();

        var first = await sut.DispatchAsync(escalation);
        var again = await sut.DispatchAsync(escalation, deliveryCount: 2);

        Assert.Equal(1, _email.Attempts);
        Assert.Equal(1, _ticket.Attempts);
        Assert.Equal(first.TicketReceipt, again.TicketReceipt);
    }

    [Fact]
    public async Task Dispatch_EmailLeftForWhatsAppWhichThenFailsForGood_EmailTriedAgainOnTheNextDelivery()
    {
        // Delivery 3: a short relay hiccup, and the fallback's number is refused for good. The e-mail still has
        // deliveries before the ticket's: left for a fallback that failed, it must be tried again, not given up.
        _email.FailNext(transient: true, "SMTP 421: service not available");
        _whatsApp.FailNext(transient: false, "WhatsApp Cloud API answered 400 (#131026) Message undeliverable");
        var sut = CreateSut(new EscalationOptions { FallbackAfterDeliveries = 3 });
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.Email);

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(escalation, deliveryCount: 3));
        var result = await sut.DispatchAsync(escalation, deliveryCount: 4);

        Assert.True(error.IsTransient);
        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
        Assert.Equal("anna.nowak@example.com", Assert.Single(_email.Deliveries).To);
        Assert.Equal(1, _whatsApp.Attempts);
        Assert.Contains("Sent to Anna Nowak by e-mail (e-mail receipt 1).", Assert.Single(_ticket.Deliveries).Notes);
    }

    [Fact]
    public async Task Dispatch_RecipientWithoutEmailAndNoTeamEmail_TicketSaysItIsUnassigned()
    {
        var sut = CreateSut();
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp);

        await sut.DispatchAsync(escalation with { Recipient = escalation.Recipient! with { Email = null } });

        var ticket = Assert.Single(_ticket.Deliveries);
        Assert.Null(ticket.To);
        Assert.Contains("Anna Nowak has no e-mail address, and Escalations:TeamEmail is not set; the ticket is unassigned.", ticket.Notes);
    }

    [Fact]
    public async Task Dispatch_NoRecipient_TicketGoesToTheTeamAndNobodyIsMessaged()
    {
        var sut = CreateSut(new EscalationOptions { TeamEmail = "support@example.com", TeamName = "Sales support" });

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered() with { Recipient = null });

        Assert.Null(result.NotifiedBy);
        Assert.Empty(_email.Deliveries);
        Assert.Empty(_whatsApp.Deliveries);
        var ticket = Assert.Single(_ticket.Deliveries);
        Assert.Equal("support@example.com", ticket.To);
        Assert.Equal("Sales support", ticket.ToName);
        Assert.Contains(ticket.Notes, n => n.Contains("assigned to Sales support <support@example.com>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_BothChannelsFailForGood_TicketIsStillCreatedAndSaysNobodyWasTold()
    {
        _email.FailNext(transient: false, "SMTP 550: no such user");
        _whatsApp.FailNext(transient: false, "not a WhatsApp user");
        var sut = CreateSut();

        var result = await sut.DispatchAsync(EscalationTestData.VipNobodyAnswered());

        Assert.Null(result.NotifiedBy);
        var notes = Assert.Single(_ticket.Deliveries).Notes;
        Assert.Contains(notes, n => n.StartsWith("E-mail to Anna Nowak failed (permanent): SMTP 550", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("WhatsApp to Anna Nowak failed (permanent)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_RecipientWithoutWhatsAppNumber_UsesEmail()
    {
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp);
        escalation = escalation with { Recipient = escalation.Recipient! with { WhatsAppNumber = null } };

        var result = await CreateSut().DispatchAsync(escalation);

        Assert.Equal(EscalationChannel.Email, result.NotifiedBy);
        Assert.Contains("Anna Nowak has no WhatsApp number.", Assert.Single(_ticket.Deliveries).Notes);
    }

    [Fact]
    public async Task Dispatch_RecipientPrefersTickets_OnlyTheTicketIsCreated()
    {
        var result = await CreateSut().DispatchAsync(EscalationTestData.VipNobodyAnswered(EscalationChannel.Ticket));

        Assert.Null(result.NotifiedBy);
        Assert.Empty(_email.Deliveries);
        Assert.Empty(_whatsApp.Deliveries);
        Assert.Equal("anna.nowak@example.com", Assert.Single(_ticket.Deliveries).To);
    }

    [Fact]
    public async Task Dispatch_TicketRejectedForGood_ThrowsPermanentAfterTellingTheRecipient()
    {
        _ticket.FailNext(transient: false, "Helpdesk answered 422: bad field");
        var sut = CreateSut();

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DispatchAsync(EscalationTestData.VipNobodyAnswered()));

        Assert.False(error.IsTransient);
        Assert.Equal(EscalationChannel.Ticket, error.Channel);
        Assert.Single(_email.Deliveries);
    }

    private static EscalationOptions CloudApiWhatsApp(string? templateName) => new()
    {
        WhatsApp = new WhatsAppChannelOptions { PhoneNumberId = "106540352242922", AccessToken = "token", TemplateName = templateName },
    };

    /// <summary>A rep reachable by e-mail only: there is no other channel to fall back to.</summary>
    private static Escalation EmailOnly()
    {
        var escalation = EscalationTestData.VipNobodyAnswered();
        return escalation with { Recipient = escalation.Recipient! with { WhatsAppNumber = null } };
    }

    private EscalationDispatcher CreateSut(EscalationOptions? options = null) =>
        new([_ticket, _email, _whatsApp], Options.Create(options ?? new EscalationOptions()), NullLogger<EscalationDispatcher>.Instance);

    /// <summary>A channel at the process edge that succeeds unless told to fail its next attempt.</summary>
    private sealed class ScriptedChannel(EscalationChannel channel) : IEscalationChannel
    {
        private readonly ConcurrentQueue<EscalationDeliveryException> _failures = new();
        private int _attempts;

        public EscalationChannel Channel => channel;

        public ConcurrentQueue<EscalationDelivery> Deliveries { get; } = new();

        public int Attempts => _attempts;

        public void FailNext(bool transient, string message) => _failures.Enqueue(new EscalationDeliveryException(channel, transient, message));

        public Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            if (_failures.TryDequeue(out var failure)) throw failure;
            Deliveries.Enqueue(delivery);
            return Task.FromResult($"{EscalationText.ChannelName(channel)} receipt {Deliveries.Count}");
        }
    }
}
