using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FunctionsIvr.Escalations;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.Escalations;

public sealed class WhatsAppCloudChannelTests : IAsyncLifetime
{
    private FakeWhatsAppCloudApi _api = null!;
    private readonly TestHttpClientFactory _http = new(TimeSpan.FromSeconds(30));

    public async Task InitializeAsync() => _api = await FakeWhatsAppCloudApi.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Deliver_FreeText_PostsToPhoneNumberIdWithBearerAndReadableBody()
    {
        var sut = CreateSut(Options());

        var receipt = await sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered()));

        var request = Assert.Single(_api.Requests);
        Assert.Equal($"/v21.0/{FakeWhatsAppCloudApi.PhoneNumberId}/messages", request.Path);
        Assert.Equal($"Bearer {FakeWhatsAppCloudApi.AccessToken}", request.Header("Authorization"));
        var message = Assert.Single(_api.Accepted);
        Assert.Equal("whatsapp", (string?)message["messaging_product"]);
        Assert.Equal("48600200300", (string?)message["to"]);
        Assert.Equal("text", (string?)message["type"]);
        var body = (string?)message["text"]?["body"];
        Assert.StartsWith("*Call back Budmax S.A. (VIP) - nobody answered*", body, StringComparison.Ordinal);
        Assert.Contains("Caller: Jan Kowalski, Budmax S.A. (********789)", body, StringComparison.Ordinal);
        Assert.Contains("Where: transfer_queue", body, StringComparison.Ordinal);
        Assert.DoesNotContain("600 100 789", body, StringComparison.Ordinal);
        Assert.Contains("wamid.TEST1", receipt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_TemplateConfigured_SendsTemplateWithReasonCallerAndLink()
    {
        var options = Options();
        options.TemplateName = "ivr_escalation";
        options.TemplateLanguage = "pl";
        var sut = CreateSut(options, new EscalationOptions { PublicBaseUrl = "https://ivr.example.com" });

        await sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered()));

        var message = Assert.Single(_api.Accepted);
        Assert.Equal("template", (string?)message["type"]);
        Assert.Equal("ivr_escalation", (string?)message["template"]?["name"]);
        Assert.Equal("pl", (string?)message["template"]?["language"]?["code"]);
        var parameters = message["template"]!["components"]![0]!["parameters"]!.AsArray().Select(p => (string)p!["text"]!).ToArray();
        Assert.Equal(
            [
                "Call back Budmax S.A. (VIP) - nobody answered: Agent 101 and the team queue did not answer.",
                "Jan Kowalski, Budmax S.A. (********789)",
                "https://ivr.example.com/api/calls/call-0001",
            ],
            parameters);
    }

    [Fact]
    public async Task Deliver_OutsideCustomerServiceWindow_FailsPermanentlyWithCodeAndDetails()
    {
        _api.FailNext(400, 131047, "Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
        var sut = CreateSut(Options());

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered())));

        Assert.False(error.IsTransient);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("#131047", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than 24 hours", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_RecipientNotAllowed_KeepsTheNumberOutOfTheError()
    {
        _api.FailNext(400, 131030, "Recipient phone number not in allowed list", "Add recipient phone number 48600100200 to recipient list and try again.",
            subcode: 2494010);
        var sut = CreateSut(Options());

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered())));

        Assert.False(error.IsTransient);
        // The codes support looks up are kept whole; the number in the text is masked.
        Assert.Contains("(#131030/2494010)", error.Message, StringComparison.Ordinal);
        Assert.Contains("********200", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("48600100200", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(429, 130429, "Rate limit hit")]
    [InlineData(500, 1, "An unknown error occurred")]
    [InlineData(503, 2, "Service temporarily unavailable")]
    [InlineData(400, 131056, "(Business Account, Consumer Account) pair rate limit hit")]
    public async Task Deliver_ThrottledOrServiceDown_FailsTransiently(int status, int code, string text)
    {
        _api.FailNext(status, code, text);
        var sut = CreateSut(Options());

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered())));

        Assert.True(error.IsTransient);
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public async Task Deliver_TokenRejected_FailsPermanently()
    {
        var options = Options();
        options.AccessToken = "expired-token";
        var sut = CreateSut(options);

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered())));

        Assert.False(error.IsTransient);
        Assert.Contains("#190", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Accepted);
    }

    [Fact]
    public async Task Deliver_ApiUnreachable_FailsTransiently()
    {
        var options = Options();
        options.BaseUrl = new Uri($"http://127.0.0.1:{ClosedPort()}");
        var sut = CreateSut(options);

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToAnna(EscalationTestData.VipNobodyAnswered())));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Deliver_NumberWithoutCountryCode_FailsPermanentlyWithoutCallingTheApi()
    {
        var sut = CreateSut(Options());
        var delivery = new EscalationDelivery(EscalationTestData.VipNobodyAnswered(), "600", "Anna Nowak");

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(delivery));

        Assert.False(error.IsTransient);
        Assert.Empty(_api.Requests);
    }

    [Theory]
    [InlineData("+48 600-200-300", "48600200300")]
    [InlineData("0048600200300", "48600200300")]
    [InlineData("48600200300", "48600200300")]
    [InlineData("600 200", null)]
    public void NormalizeNumber_CommonWritings_BecomeDigitsWithCountryCode(string input, string? expected) =>
        Assert.Equal(expected, WhatsAppCloudChannel.NormalizeNumber(input));

    private WhatsAppChannelOptions Options() => new()
    {
        BaseUrl = _api.BaseAddress,
        ApiVersion = FakeWhatsAppCloudApi.ApiVersion,
        PhoneNumberId = FakeWhatsAppCloudApi.PhoneNumberId,
        AccessToken = FakeWhatsAppCloudApi.AccessToken,
    };

    private WhatsAppCloudChannel CreateSut(WhatsAppChannelOptions options, EscalationOptions? root = null) =>
        new(_http, options, new EscalationText(root ?? new EscalationOptions()), NullLogger<WhatsAppCloudChannel>.Instance);

    private static EscalationDelivery ToAnna(Escalation escalation) => new(escalation, escalation.Recipient!.WhatsAppNumber, "Anna Nowak");

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
