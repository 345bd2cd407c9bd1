using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FunctionsIvr.Escalations;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.Escalations;

public sealed class HelpdeskTicketChannelTests : IAsyncLifetime
{
    private FakeHelpdesk _helpdesk = null!;
    private readonly TestHttpClientFactory _http = new(TimeSpan.FromSeconds(30));

    public async Task InitializeAsync() => _helpdesk = await FakeHelpdesk.StartAsync();

    public async Task DisposeAsync()
    {
        await _helpdesk.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Deliver_PostsTicketWithBearerIdempotencyKeyAndWholeContext()
    {
        var sut = CreateSut(Options());
        var delivery = new EscalationDelivery(EscalationTestData.VipNobodyAnswered(), "anna.nowak@example.com", "Anna Nowak")
        {
            Notes = ["Sent to Anna Nowak by e-mail (Message-ID <x@y>)."],
        };

        var receipt = await sut.DeliverAsync(delivery);

        Assert.Equal("ticket T-1", receipt);
        var request = Assert.Single(_helpdesk.Requests);
        Assert.Equal("nobody-answered-call-0001", request.Header("Idempotency-Key"));
        var ticket = Assert.Single(_helpdesk.Tickets);
        Assert.Equal("[FunctionsIvr] Call back Budmax S.A. (VIP) - nobody answered", (string?)ticket["title"]);
        Assert.Equal("high", (string?)ticket["priority"]);
        Assert.Equal("anna.nowak@example.com", (string?)ticket["assignee"]?["email"]);
        Assert.Equal("Jan Kowalski", (string?)ticket["requester"]?["name"]);
        Assert.Equal("********789", (string?)ticket["requester"]?["phone"]);
        var fields = ticket["customFields"]!.AsObject();
        Assert.Equal("call-0001", (string?)fields["callId"]);
        Assert.Equal("transfer_queue", (string?)fields["step"]);
        Assert.Equal("ZAM/2025/0042", (string?)fields["orderId"]);
        Assert.Equal("tx-7f3a", (string?)fields["transactionId"]);
        Assert.Equal("2025-01-15T09:03:00Z", (string?)fields["callStartedAt"]);
        Assert.Equal("********789", (string?)fields["callerNumber"]);
        Assert.Contains("Sent to Anna Nowak by e-mail", (string?)ticket["description"], StringComparison.Ordinal);
        Assert.Contains("nobody-answered", ticket["tags"]!.AsArray().Select(t => (string?)t));
        Assert.DoesNotContain("600 100 789", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_SameEscalationTwice_SecondCountsAsAlreadyCreated()
    {
        var sut = CreateSut(Options());
        var delivery = new EscalationDelivery(EscalationTestData.VipNobodyAnswered(), "anna.nowak@example.com", "Anna Nowak");

        await sut.DeliverAsync(delivery);
        var second = await sut.DeliverAsync(delivery);

        Assert.Equal("ticket T-1 (already created)", second);
        Assert.Single(_helpdesk.Tickets);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task Deliver_HelpdeskBusyOrDown_FailsTransiently(int status)
    {
        _helpdesk.FailNext(status);
        var sut = CreateSut(Options());

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToTeam()));

        Assert.True(error.IsTransient);
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public async Task Deliver_RequestRejected422_FailsPermanentlyWithTheHelpdesksReason()
    {
        _helpdesk.FailNext(422, "{\"error\":\"custom field callId is not defined\"}");
        var sut = CreateSut(Options());

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToTeam()));

        Assert.False(error.IsTransient);
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("custom field callId is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_RefusalEchoingTheCallersNumber_KeepsTheNumberOutOfTheError()
    {
        // The error's message lands in logs, the host's invocation log and, dead-lettered, in a ticket.
        _helpdesk.FailNext(422, "{\"error\":\"requester phone 48600100789 is not a known contact\"}");
        var sut = CreateSut(Options());

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToTeam()));

        Assert.Contains("requester phone ********789 is not a known contact", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("48600100789", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deliver_WrongToken_FailsPermanently()
    {
        var options = Options();
        options.Token = "wrong";
        var sut = CreateSut(options);

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToTeam()));

        Assert.False(error.IsTransient);
        Assert.Equal(401, error.StatusCode);
    }

    [Fact]
    public async Task Deliver_HelpdeskTooSlow_FailsTransiently()
    {
        // The helpdesk would answer after a minute; the client gives up after one second.
        _helpdesk.Delay = TimeSpan.FromMinutes(1);
        using var impatient = new TestHttpClientFactory(TimeSpan.FromSeconds(1));
        var sut = new HelpdeskTicketChannel(impatient, Options(), new EscalationText(new EscalationOptions()), NullLogger<HelpdeskTicketChannel>.Instance);

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => sut.DeliverAsync(ToTeam()));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Deliver_HelpdeskUnreachable_FailsTransiently()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = Options();
        options.Url = new Uri($"http://127.0.0.1:{port}/api/tickets");

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => CreateSut(options).DeliverAsync(ToTeam()));

        Assert.True(error.IsTransient);
    }

    [Theory]
    [InlineData(EscalationReason.CommitFailed, null, TicketPriority.High)]
    [InlineData(EscalationReason.CommitFailed, "VIP", TicketPriority.Urgent)]
    [InlineData(EscalationReason.CallbackRequested, null, TicketPriority.Normal)]
    [InlineData(EscalationReason.BlockedCaller, null, TicketPriority.Low)]
    [InlineData(EscalationReason.NobodyAnswered, "vip", TicketPriority.High)]
    public void PriorityFor_ReasonAndSegment_OrdersAtRiskAndVipsFirst(EscalationReason reason, string? segment, TicketPriority expected)
    {
        var escalation = EscalationTestData.VipNobodyAnswered() with { Reason = reason, Segment = segment };

        Assert.Equal(expected, HelpdeskTicket.PriorityFor(escalation));
    }

    private TicketChannelOptions Options() => new() { Url = _helpdesk.TicketsUrl, Token = FakeHelpdesk.Token };

    private HelpdeskTicketChannel CreateSut(TicketChannelOptions options) =>
        new(_http, options, new EscalationText(new EscalationOptions()), NullLogger<HelpdeskTicketChannel>.Instance);

    private static EscalationDelivery ToTeam() =>
        new(EscalationTestData.VipNobodyAnswered() with { Recipient = null }, "support@example.com", "Support team");
}
