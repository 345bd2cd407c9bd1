using System.Net;
using System.Net.Sockets;
using FunctionsIvr.Escalations;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.Escalations;

public sealed class SmtpEmailChannelTests : IAsyncLifetime
{
    private SmtpTestServer _smtp = null!;
    private readonly string _folder = EscalationTestData.NewTempFolder();

    public Task InitializeAsync()
    {
        _smtp = SmtpTestServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _smtp.DisposeAsync();
        EscalationTestData.DeleteFolder(_folder);
    }

    [Fact]
    public async Task Deliver_ThroughSmtp_SubjectRecipientBodiesAndMessageIdArrive()
    {
        var sut = CreateSut(Relay(_smtp.Port));

        var receipt = await sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered()));

        var mail = Assert.Single(_smtp.Messages);
        Assert.Equal("ivr@functionsivr.test", mail.From);
        Assert.Equal(["anna.nowak@example.com"], mail.Recipients);
        Assert.Equal("[FunctionsIvr] Call back Budmax S.A. (VIP) - nobody answered", mail.Subject);
        Assert.Equal("<escalation.nobody-answered-call-0001@functionsivr.test>", mail.MessageId);
        Assert.Contains(mail.MessageId!, receipt, StringComparison.Ordinal);
        Assert.Contains("Nobody answered the transfer. Please call the customer back.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("transfer_queue", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("ZAM/2025/0042", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("<h2>Call back Budmax S.A. (VIP) - nobody answered</h2>", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_ByDefault_ShowsCallerNumberMaskedInBothBodies()
    {
        var sut = CreateSut(Relay(_smtp.Port));

        await sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered()));

        var mail = Assert.Single(_smtp.Messages);
        Assert.Contains("********789", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("********789", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("600 100 789", mail.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("48600100789", mail.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_AddressWithLettersOutsideAsciiBeforeTheAt_FailsForGoodSoTheFallbackIsUsedAtOnce()
    {
        var sut = CreateSut(Relay(_smtp.Port));

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(
            () => sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered(), "józef.nowak@example.pl")));

        Assert.False(error.IsTransient);
        Assert.Contains("outside ASCII before the @", error.Message, StringComparison.Ordinal);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Deliver_SameEscalationTwice_BothCarryTheSameMessageId()
    {
        var sut = CreateSut(Relay(_smtp.Port));
        var delivery = EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered());

        await sut.DeliverAsync(delivery);
        await sut.DeliverAsync(delivery);

        Assert.Equal(2, _smtp.Messages.Count);
        Assert.Single(_smtp.Messages.Select(m => m.MessageId).Distinct());
    }

    [Fact]
    public async Task Deliver_PolishLettersInCompany_ArriveIntactInSubjectAndBody()
    {
        var sut = CreateSut(Relay(_smtp.Port));
        var escalation = EscalationTestData.VipNobodyAnswered() with { Company = "Hurtownia Łódź Żółć Sp. z o.o." };

        await sut.DeliverAsync(EscalationTestData.EmailTo(escalation));

        var mail = Assert.Single(_smtp.Messages);
        Assert.Equal("[FunctionsIvr] Call back Hurtownia Łódź Żółć Sp. z o.o. (VIP) - nobody answered", mail.Subject);
        Assert.Contains("Hurtownia Łódź Żółć Sp. z o.o.", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_TextWithLinesStartingWithDots_ArrivesUnchanged()
    {
        var sut = CreateSut(Relay(_smtp.Port));
        // 300 dots: whatever the encoder's line length, some transmitted lines start with '.', so SMTP dot-stuffing is exercised.
        var dots = new string('.', 300);
        var escalation = EscalationTestData.VipNobodyAnswered() with { Notes = "First line\n" + dots };

        await sut.DeliverAsync(EscalationTestData.EmailTo(escalation));

        var mail = Assert.Single(_smtp.Messages);
        Assert.Contains("\r\n.", mail.Raw, StringComparison.Ordinal);
        Assert.Contains("First line\n" + dots + "\n", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_WithCredentials_LogsInBeforeSending()
    {
        await using var smtp = SmtpTestServer.Start(login: ("ivr-relay", "s3cret"));
        var options = Relay(smtp.Port);
        options.UserName = "ivr-relay";
        options.Password = "s3cret";

        await CreateSut(options).DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered()));

        Assert.Equal(["ivr-relay"], smtp.AuthenticatedUsers);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task Deliver_WrongPassword_FailsPermanently()
    {
        await using var smtp = SmtpTestServer.Start(login: ("ivr-relay", "s3cret"));
        var options = Relay(smtp.Port);
        options.UserName = "ivr-relay";
        options.Password = "wrong";

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(
            () => CreateSut(options).DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered())));

        Assert.False(error.IsTransient);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task Deliver_NothingListening_FailsTransiently()
    {
        var sut = CreateSut(Relay(ClosedPort()));

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(
            () => sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered())));

        Assert.True(error.IsTransient);
        Assert.Equal(EscalationChannel.Email, error.Channel);
    }

    [Fact]
    public async Task Deliver_RecipientUnknown550_FailsPermanently()
    {
        _smtp.RecipientReply = "550 5.1.1 No such user";
        var sut = CreateSut(Relay(_smtp.Port));

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(
            () => sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered())));

        Assert.False(error.IsTransient);
        Assert.Equal(550, error.StatusCode);
    }

    [Fact]
    public async Task Deliver_ServerAsksToTryLater451_FailsTransiently()
    {
        _smtp.DataReply = "451 4.3.0 Try again later";
        var sut = CreateSut(Relay(_smtp.Port));

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(
            () => sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered())));

        Assert.True(error.IsTransient);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Deliver_AddressIsNotAnEmail_FailsPermanentlyWithoutConnecting()
    {
        var sut = CreateSut(Relay(_smtp.Port));

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(
            () => sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered(), to: "anna at example")));

        Assert.False(error.IsTransient);
        Assert.Empty(_smtp.Messages);
    }

    [Fact]
    public async Task Deliver_NoHostConfigured_WritesReadableEmlIntoPickupFolder()
    {
        var pickup = Path.Combine(_folder, "mail");
        var sut = CreateSut(new EmailChannelOptions { From = "FunctionsIvr <ivr@functionsivr.test>" }, pickup);

        var receipt = await sut.DeliverAsync(EscalationTestData.EmailTo(EscalationTestData.VipNobodyAnswered()));

        var file = Assert.Single(Directory.GetFiles(pickup, "*.eml"));
        var mail = MimeEntity.Parse(await File.ReadAllTextAsync(file));
        Assert.Equal("[FunctionsIvr] Call back Budmax S.A. (VIP) - nobody answered", mail.DecodedHeader("Subject"));
        Assert.Equal("<escalation.nobody-answered-call-0001@functionsivr.test>", mail.Header("Message-ID"));
        Assert.Contains("anna.nowak@example.com", mail.Header("To"), StringComparison.Ordinal);
        Assert.Contains("Nobody answered the transfer", mail.Leaves().First(p => p.MediaType == "text/plain").DecodedBody(), StringComparison.Ordinal);
        Assert.Contains("<escalation.nobody-answered-call-0001@functionsivr.test>", receipt, StringComparison.Ordinal);
    }

    [Fact]
    public void MessageIdFor_IdWithCharactersNotAllowedInHeader_StaysValidAndDistinct()
    {
        var a = SmtpEmailChannel.MessageIdFor("dead-lettered:order-commits/tx 1", "functionsivr.test");
        var b = SmtpEmailChannel.MessageIdFor("dead-lettered:order-commits/tx_1", "functionsivr.test");

        Assert.Matches(@"^<escalation\.[A-Za-z0-9\-_+=]+\.[0-9a-f]{12}@functionsivr\.test>$", a);
        Assert.NotEqual(a, b);
    }

    private static EmailChannelOptions Relay(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        EnableSsl = false,
        From = "FunctionsIvr <ivr@functionsivr.test>",
        Timeout = TimeSpan.FromSeconds(30),
    };

    private SmtpEmailChannel CreateSut(EmailChannelOptions options, string? pickupDirectory = null) =>
        new(options, pickupDirectory ?? Path.Combine(_folder, "unused"), new EscalationText(new EscalationOptions()), NullLogger<SmtpEmailChannel>.Instance);

    /// <summary>A port that was free a moment ago and has nothing listening.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
