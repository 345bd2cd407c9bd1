using System.Text.Json.Nodes;
using FunctionsIvr.Escalations;
using FunctionsIvr.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Escalations;

public sealed class EscalationsHostBuilderExtensionsTests : IDisposable
{
    private readonly string _contentRoot = EscalationTestData.NewTempFolder();

    public void Dispose() => EscalationTestData.DeleteFolder(_contentRoot);

    [Fact]
    public async Task AddEscalations_NoSettings_EscalationLandsInLocalFoldersAPersonCanOpen()
    {
        using var host = await StartHostAsync(new Dictionary<string, string?>());
        var processor = Assert.IsType<SendEscalationProcessor>(WorkProcessors.Find(host.Services, QueueNames.Escalations));
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp);

        await processor.ProcessAsync(new ReceivedWork(EscalationMessages.ToWorkMessage(escalation), 1, EscalationTestData.Raised), CancellationToken.None);

        var ticketFile = Path.Combine(_contentRoot, ".local", "tickets", "nobody-answered-call-0001.json");
        var ticket = JsonNode.Parse(await File.ReadAllTextAsync(ticketFile))!;
        Assert.Equal("Call back Budmax S.A. (VIP) - nobody answered", (string?)ticket["text"]![0]);
        Assert.Equal("[FunctionsIvr] Call back Budmax S.A. (VIP) - nobody answered", (string?)ticket["payload"]!["title"]);
        Assert.Equal("high", (string?)ticket["payload"]!["priority"]);
        Assert.Contains("Escalations:Ticket:Url is not set", (string?)ticket["why"], StringComparison.Ordinal);

        var whatsAppFile = Path.Combine(_contentRoot, ".local", "whatsapp", "nobody-answered-call-0001.json");
        var whatsApp = JsonNode.Parse(await File.ReadAllTextAsync(whatsAppFile))!;
        Assert.Equal("48600200300", (string?)whatsApp["payload"]!["to"]);
        Assert.Contains("Caller: Jan Kowalski, Budmax S.A. (********789)", whatsApp["text"]!.AsArray().Select(l => (string?)l));

        // WhatsApp was preferred and worked, so no e-mail.
        Assert.False(Directory.Exists(Path.Combine(_contentRoot, ".local", "mail")));
    }

    [Fact]
    public async Task AddEscalations_NoSettingsEmailPreferred_WritesEmlIntoLocalMail()
    {
        using var host = await StartHostAsync(new Dictionary<string, string?>());
        var dispatcher = host.Services.GetRequiredService<EscalationDispatcher>();

        await dispatcher.DispatchAsync(EscalationTestData.VipNobodyAnswered(EscalationChannel.Email));

        var eml = Assert.Single(Directory.GetFiles(Path.Combine(_contentRoot, ".local", "mail"), "*.eml"));
        Assert.Equal(
            "[FunctionsIvr] Call back Budmax S.A. (VIP) - nobody answered",
            MimeEntity.Parse(await File.ReadAllTextAsync(eml)).DecodedHeader("Subject"));
    }

    [Fact]
    public async Task AddEscalations_ChannelsConfigured_TicketGoesToHelpdeskAndFallbackEmailToSmtp()
    {
        await using var helpdesk = await FakeHelpdesk.StartAsync();
        await using var whatsApp = await FakeWhatsAppCloudApi.StartAsync();
        await using var smtp = SmtpTestServer.Start();
        whatsApp.FailNext(400, 131026, "Message undeliverable", "The recipient is not a WhatsApp user.");
        using var host = await StartHostAsync(new Dictionary<string, string?>
        {
            ["Escalations:PublicBaseUrl"] = "https://ivr.example.com",
            ["Escalations:Ticket:Url"] = helpdesk.TicketsUrl.AbsoluteUri,
            ["Escalations:Ticket:Token"] = FakeHelpdesk.Token,
            ["Escalations:WhatsApp:BaseUrl"] = whatsApp.BaseAddress.AbsoluteUri,
            ["Escalations:WhatsApp:PhoneNumberId"] = FakeWhatsAppCloudApi.PhoneNumberId,
            ["Escalations:WhatsApp:AccessToken"] = FakeWhatsAppCloudApi.AccessToken,
            ["Escalations:Email:Host"] = "127.0.0.1",
            ["Escalations:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Escalations:Email:EnableSsl"] = "false",
            ["Escalations:Email:From"] = "ivr@functionsivr.test",
        });
        var processor = Assert.IsType<SendEscalationProcessor>(WorkProcessors.Find(host.Services, QueueNames.Escalations));
        var escalation = EscalationTestData.VipNobodyAnswered(EscalationChannel.WhatsApp);

        await processor.ProcessAsync(new ReceivedWork(EscalationMessages.ToWorkMessage(escalation), 1, EscalationTestData.Raised), CancellationToken.None);

        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(["anna.nowak@example.com"], mail.Recipients);
        Assert.Contains("#131026", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://ivr.example.com/api/calls/call-0001", mail.TextBody, StringComparison.Ordinal);
        var ticket = Assert.Single(helpdesk.Tickets);
        var description = (string?)ticket["description"];
        Assert.Contains("WhatsApp to Anna Nowak failed (permanent)", description, StringComparison.Ordinal);
        Assert.Contains("Sent to Anna Nowak by e-mail instead (Message-ID <escalation.nobody-answered-call-0001@functionsivr.test>)", description, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_contentRoot, ".local")));
    }

    [Theory]
    [InlineData("Escalations:Email:Host", "smtp.example.com", "Escalations:Email:Port", "0", "Escalations:Email:Port")]
    [InlineData("Escalations:Email:Host", "smtp.example.com", "Escalations:Email:Port", "465", "Escalations:Email:Port 465")]
    [InlineData("Escalations:Email:Host", "smtp.example.com", "Escalations:Email:UserName", "relay", "Escalations:Email:Password")]
    [InlineData("Escalations:Email:From", "not an address", "Escalations:TeamName", "Team", "Escalations:Email:From")]
    [InlineData("Escalations:Ticket:Url", "https://helpdesk.example.com/api/tickets", "Escalations:TeamName", "Team", "Escalations:Ticket:Token")]
    [InlineData("Escalations:WhatsApp:PhoneNumberId", "106540352242922", "Escalations:TeamName", "Team", "Escalations:WhatsApp:AccessToken")]
    [InlineData("Escalations:WhatsApp:PhoneNumberId", "+48600200300", "Escalations:WhatsApp:AccessToken", "t", "Escalations:WhatsApp:PhoneNumberId")]
    [InlineData("Escalations:WhatsApp:ApiVersion", "21", "Escalations:TeamName", "Team", "Escalations:WhatsApp:ApiVersion")]
    [InlineData("Escalations:TeamEmail", "support", "Escalations:TeamName", "Team", "Escalations:TeamEmail")]
    [InlineData("Escalations:PublicBaseUrl", "ivr.example.com", "Escalations:TeamName", "Team", "Escalations:PublicBaseUrl")]
    [InlineData("Escalations:FallbackAfterDeliveries", "0", "Escalations:TeamName", "Team", "Escalations:FallbackAfterDeliveries")]
    public async Task AddEscalations_InvalidSetting_StartFailsNamingTheKey(string key1, string value1, string key2, string value2, string namedKey)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => StartHostAsync(new Dictionary<string, string?> { [key1] = value1, [key2] = value2 }));

        Assert.Contains(error.Failures, f => f.Contains(namedKey, StringComparison.Ordinal));
    }

    private async Task<IHost> StartHostAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = _contentRoot });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEscalations();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }
}
