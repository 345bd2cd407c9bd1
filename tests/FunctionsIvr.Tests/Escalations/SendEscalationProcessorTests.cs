using FunctionsIvr.Escalations;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Escalations;

public sealed class SendEscalationProcessorTests
{
    private readonly RecordingChannel _ticket = new(EscalationChannel.Ticket);
    private readonly RecordingChannel _email = new(EscalationChannel.Email);
    private readonly RecordingChannel _whatsApp = new(EscalationChannel.WhatsApp);
    private readonly CapturingLogger<SendEscalationProcessor> _log = new();

    [Fact]
    public void ToWorkMessage_Escalation_IsAddressedForDuplicateDetectionAndCorrelation()
    {
        var message = EscalationMessages.ToWorkMessage(EscalationTestData.VipNobodyAnswered());

        Assert.Equal(QueueNames.Escalations, message.QueueName);
        Assert.Equal("nobody-answered-call-0001", message.MessageId);
        Assert.Equal("Escalation", message.Subject);
        Assert.Equal("call-0001", message.CorrelationId);
        Assert.Equal("application/json", message.ContentType);
        Assert.Contains("\"reason\":\"NobodyAnswered\"", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_MessageBuiltByToWorkMessage_TicketAndEmailCarryTheEscalation()
    {
        var escalation = EscalationTestData.VipNobodyAnswered();
        var work = new ReceivedWork(EscalationMessages.ToWorkMessage(escalation), DeliveryCount: 1, EscalationTestData.Raised);

        await CreateSut().ProcessAsync(work, CancellationToken.None);

        Assert.Equal(escalation, Assert.Single(_ticket.Deliveries).Escalation);
        Assert.Equal(escalation, Assert.Single(_email.Deliveries).Escalation);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"escalationId\":\"x\",\"reason\":\"NoSuchReason\",\"raisedAt\":\"2025-01-15T09:05:12Z\"}")]
    [InlineData("{\"escalationId\":\"x\",\"reason\":3,\"raisedAt\":\"2025-01-15T09:05:12Z\"}")]
    [InlineData("{\"escalationId\":\" \",\"reason\":\"NobodyAnswered\",\"raisedAt\":\"2025-01-15T09:05:12Z\"}")]
    [InlineData("{\"escalationId\":\"x\",\"reason\":\"NobodyAnswered\",\"raisedAt\":\"2025-01-15T09:05:12Z\",\"recipient\":{\"name\":\"\"}}")]
    public async Task Process_MalformedBody_ThrowsMalformedAndLogsTheMessageId(string body)
    {
        var work = new ReceivedWork(
            new WorkMessage { QueueName = QueueNames.Escalations, MessageId = "message-4711", Subject = "Escalation", Body = body },
            DeliveryCount: 2,
            EscalationTestData.Raised);

        var error = await Assert.ThrowsAsync<MalformedEscalationException>(() => CreateSut().ProcessAsync(work, CancellationToken.None));

        Assert.Equal("message-4711", error.MessageId);
        Assert.DoesNotContain("message-4711", error.Message, StringComparison.Ordinal);
        var line = Assert.Single(_log.Lines, l => l.Level == LogLevel.Error);
        Assert.Contains("…4711", line.Message, StringComparison.Ordinal);
        Assert.Contains("delivery 2", line.Message, StringComparison.Ordinal);
        Assert.Empty(_ticket.Deliveries);
    }

    [Fact]
    public async Task Process_ChannelFailsTransiently_ThrowsSoTheQueueRedelivers()
    {
        _ticket.FailWith = new EscalationDeliveryException(EscalationChannel.Ticket, isTransient: true, "Helpdesk answered 503");
        var work = new ReceivedWork(EscalationMessages.ToWorkMessage(EscalationTestData.VipNobodyAnswered()), 1, EscalationTestData.Raised);

        var error = await Assert.ThrowsAsync<EscalationDeliveryException>(() => CreateSut().ProcessAsync(work, CancellationToken.None));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public void StableId_SameSituation_GivesTheSameIdWithinServiceBusLimits()
    {
        var shortId = EscalationMessages.StableId(EscalationReason.CommitFailed, "tx-7f3a");
        var longKey = new string('k', 300);

        Assert.Equal("commit-failed-tx-7f3a", shortId);
        Assert.Equal(shortId, EscalationMessages.StableId(EscalationReason.CommitFailed, "tx-7f3a"));
        Assert.True(EscalationMessages.StableId(EscalationReason.DeadLettered, longKey).Length <= 128);
        Assert.NotEqual(
            EscalationMessages.StableId(EscalationReason.DeadLettered, longKey),
            EscalationMessages.StableId(EscalationReason.DeadLettered, longKey + "x"));
    }

    private SendEscalationProcessor CreateSut()
    {
        var dispatcher = new EscalationDispatcher(
            [_ticket, _email, _whatsApp], Options.Create(new EscalationOptions()), NullLogger<EscalationDispatcher>.Instance);
        return new SendEscalationProcessor(dispatcher, _log);
    }

    private sealed class RecordingChannel(EscalationChannel channel) : IEscalationChannel
    {
        public EscalationChannel Channel => channel;

        public List<EscalationDelivery> Deliveries { get; } = [];

        public EscalationDeliveryException? FailWith { get; set; }

        public Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default)
        {
            if (FailWith is { } failure) throw failure;
            Deliveries.Add(delivery);
            return Task.FromResult("ok");
        }
    }
}
