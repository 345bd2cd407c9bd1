using FunctionsIvr.CallRecords;
using FunctionsIvr.Escalations;
using FunctionsIvr.Orders;
using FunctionsIvr.Support;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using FunctionsIvr.Work.DeadLetters;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Work.DeadLetters;

/// <summary>What a person reading the ticket of a dead-lettered message sees, and whether it holds true.</summary>
public sealed class DeadLetterProcessorTests
{
    private const string SigningKey = "support-signing-key";
    private const string CallId = "call-20250310-0077";
    private const string TransactionId = "tx-20250310-3003";

    [Fact]
    public async Task DeadCommit_DetailShowsTheMessageIdMaskedAndNoCallId()
    {
        var escalation = await EscalateAsync(DeadCommit());

        Assert.DoesNotContain(TransactionId, escalation.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(CallId, escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("CommitOrder message …3003 could not be processed", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("in full it is the transaction id", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCommit_TicketShowsItsIdsAsACommitFailedTicketDoes()
    {
        var deadLettered = await EscalateAsync(DeadCommit());
        var commitFailed = CommitFailedEscalations.Create(TransactionId, CallId, "c-1001", "ZS/2026/001400", "ERP said no", null, ManualTimeProvider.DefaultStart);
        var text = new EscalationText(new EscalationOptions(), SigningKey);
        string[] ids = ["Contact id", "Order", "Transaction", "Call id", "Call log"];

        var shown = text.Facts(deadLettered).Where(f => ids.Contains(f.Key)).ToList();

        Assert.Equal(text.Facts(commitFailed).Where(f => ids.Contains(f.Key)), shown);
        Assert.Equal(ids, shown.Select(f => f.Key));
        Assert.Contains(new KeyValuePair<string, string>("Transaction", TransactionId), shown);
        Assert.Contains(new KeyValuePair<string, string>("Call log", CallLogLinks.LinkFor(CallId, SigningKey, deadLettered.RaisedAt.AddDays(7))), shown);
    }

    [Fact]
    public async Task DeadCommit_SaysTheOutboxKeepsTheCommitRatherThanThatTheMaskedBodyCanBeSentAgain()
    {
        var escalation = await EscalateAsync(DeadCommit());

        Assert.DoesNotContain("can be sent again", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("cannot be sent again from there", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("Service Bus does not keep the message once this ticket is raised", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("outbox entry keeps the whole commit", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCallRecord_DetailShowsNeitherTheMessageIdNorTheCallIdInFull_TheTicketStillFindsBoth()
    {
        var message = CallRecordMessages.ToWorkMessage(Open());
        var escalation = await EscalateAsync(message);
        var text = new EscalationText(new EscalationOptions(), SigningKey);

        Assert.DoesNotContain(message.MessageId, escalation.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(CallId, escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("OpenCallRecord message …0077 could not be processed", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("in full it ends the escalation id", escalation.Detail, StringComparison.Ordinal);

        var ticket = text.PlainText(escalation);
        Assert.EndsWith("-" + message.MessageId, escalation.EscalationId, StringComparison.Ordinal);
        Assert.Contains($"Escalation {escalation.EscalationId}, sent by FunctionsIvr.", ticket, StringComparison.Ordinal);
        Assert.Contains(CallLogLinks.LinkFor(CallId, SigningKey, escalation.RaisedAt.AddDays(7)), ticket, StringComparison.Ordinal);
        Assert.Contains("The call log link shows what the call did.", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCallRecord_PhoneNumbersMasked_SaysTheBodyCannotBeSentAgainAndThatServiceBusHasNoCopy()
    {
        var escalation = await EscalateAsync(CallRecordMessages.ToWorkMessage(Open()));

        Assert.DoesNotContain("48600100200", escalation.Notes, StringComparison.Ordinal);
        Assert.DoesNotContain("can be sent again", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("Its body is in Notes with phone numbers masked, so it cannot be sent again from there.", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("Service Bus does not keep the message once this ticket is raised.", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCallRecord_NumbersShownInFull_SaysTheBodyAsAttachedCanBeSentAgainWithTheSameMessageId()
    {
        var message = CallRecordMessages.ToWorkMessage(Open());

        var escalation = await EscalateAsync(message, CallerNumberDisplay.Full);

        Assert.Equal(message.Body, escalation.Notes);
        Assert.Contains("exactly as sent: once the cause is fixed it can be sent again as it is, with the same message id", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadMessage_BodyLongerThanTheNotes_SaysItIsCutAndCannotBeSentAgain()
    {
        var message = CallRecordMessages.ToWorkMessage(Open()) with { Body = "{\"padding\":\"" + new string('x', 5000) + "\"}" };

        var escalation = await EscalateAsync(message, CallerNumberDisplay.Full);

        Assert.NotEqual(message.Body, escalation.Notes);
        Assert.DoesNotContain("can be sent again", escalation.Detail, StringComparison.Ordinal);
        Assert.Contains("Its body is in Notes cut at 4000 characters, so it cannot be sent again from there.", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadMessageOnTheInProcessQueue_SaysTheQueueKeepsTheWholeMessage()
    {
        var escalation = await EscalateAsync(CallRecordMessages.ToWorkMessage(Open()), queueName: QueueNames.DeadLetterQueueOf(QueueNames.CallRecords));

        Assert.Contains("The in-process queue keeps the whole message among its dead letters until the app restarts.", escalation.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Service Bus", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadMessageWithoutAMessageId_StillReachesAPerson_UnderOneIdForItsBody()
    {
        // Service Bus always sets one; an invocation without it must not fail over and over until the message is lost.
        var message = CallRecordMessages.ToWorkMessage(Open()) with { MessageId = "" };

        var first = await EscalateAsync(message);
        var again = await EscalateAsync(message);
        var other = await EscalateAsync(message with { Body = message.Body.Replace("0077", "0078", StringComparison.Ordinal) });

        Assert.Equal(EscalationReason.DeadLettered, first.Reason);
        Assert.Contains("It came without a message id.", first.Detail, StringComparison.Ordinal);
        Assert.Equal(first.EscalationId, again.EscalationId);
        Assert.NotEqual(first.EscalationId, other.EscalationId);
    }

    private static async Task<Escalation> EscalateAsync(
        WorkMessage message, CallerNumberDisplay display = CallerNumberDisplay.Masked, string queueName = QueueNames.DeadLetters)
    {
        var queue = new RecordingWorkQueue();
        var sut = new DeadLetterProcessor(queueName, queue, new ManualTimeProvider(),
            Options.Create(new EscalationOptions { CallerNumberDisplay = display }), NullLogger<DeadLetterProcessor>.Instance);

        await sut.ProcessAsync(new ReceivedWork(message with { QueueName = queueName }, 1, ManualTimeProvider.DefaultStart)
        {
            DeadLetterReason = DeadLetterReasons.MaxDeliveryCountExceeded,
        }, CancellationToken.None);

        var sent = Assert.Single(queue.On(QueueNames.Escalations));
        return EscalationMessages.Parse(sent.Body, sent.MessageId);
    }

    private static WorkMessage DeadCommit() => CommitOrder.ToWorkMessage(TransactionId, CallId,
        new CommitOrder(TransactionId, CallId, "c-1001", "ZS/2026/001400", ManualTimeProvider.DefaultStart).ToJson());

    private static OpenCallRecord Open() => new()
    {
        CallId = CallId, FromNumber = "+48600100200", DialledNumber = "+48221234567", StartedAt = ManualTimeProvider.DefaultStart,
    };
}
