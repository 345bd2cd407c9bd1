using Azure;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using static FunctionsIvr.Tests.Orders.OutboxFixtures;

namespace FunctionsIvr.Tests.Orders;

public class CommitOrderProcessorTests
{
    private readonly Mock<ErpClient> erp = new();
    private readonly InMemoryOutboxStore outbox = new();
    private readonly CapturingWorkQueue queue = new();
    private readonly ManualTimeProvider time = new(PreparedAt.AddSeconds(5));

    [Fact]
    public async Task Process_Queued_CommitsAndMarksCommitted()
    {
        var entry = await Stored(Entry());
        CommitSucceeds();

        await Sut().ProcessAsync(Delivery(entry), CancellationToken.None);

        Assert.Equal(OutboxStatus.Committed, (await outbox.GetAsync("tx-0001"))?.Status);
        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Process_SameMessageTwice_CommitsOnce()
    {
        var entry = await Stored(Entry());
        CommitSucceeds();
        var sut = Sut();

        await sut.ProcessAsync(Delivery(entry), CancellationToken.None);
        await sut.ProcessAsync(Delivery(entry, deliveryCount: 2), CancellationToken.None);

        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(queue.Accepted);
    }

    /// <summary>
    /// The caller heard the apology and the order was withdrawn while this commit was on its way: the ERP refuses the
    /// aborted transaction, and a "place it again" escalation would invite a second order.
    /// </summary>
    [Fact]
    public async Task Process_WithdrawnWhileTheCommitWasOnItsWay_NotEscalated()
    {
        var entry = await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                var now = (await outbox.GetAsync("tx-0001"))!;
                await OutboxChanges.ApplyAsync(outbox, now, OutboxChanges.Closed(OutboxStatus.Aborted, time.GetUtcNow(), "withdrawn"), CancellationToken.None);
                throw new ErpException(ErpErrorKind.Rejected, "aborted", 409,
                    new ErpProblem { Type = ErpProblemTypes.TransactionAborted, Title = "The transaction was aborted.", Status = 409 });
            });

        await Sut().ProcessAsync(Delivery(entry), CancellationToken.None);

        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))?.Status);
        Assert.Empty(queue.On(QueueNames.Escalations));
    }

    [Fact]
    public async Task Process_ErpRejectsTheCommit_FailedAndEscalatedWithTheCallsContext()
    {
        var entry = await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "expired", 410,
                new ErpProblem { Type = ErpProblemTypes.TransactionExpired, Title = "The transaction expired.", Status = 410 }));
        erp.Setup(e => e.GetContactAsync("C-1001", It.IsAny<CancellationToken>())).ReturnsAsync(new Contact
        {
            Id = "C-1001", Name = "Jan Kowalski", Company = "Kowalski Budownictwo",
            AccountManager = new AccountManager { Login = "am_z", Name = "Piotr Zieliński", Email = "pz@example.test" },
        });

        await Sut().ProcessAsync(Delivery(entry), CancellationToken.None);

        var stored = await outbox.GetAsync("tx-0001");
        Assert.Equal(OutboxStatus.Failed, stored?.Status);
        var message = Assert.Single(queue.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal(EscalationReason.CommitFailed, escalation.Reason);
        Assert.Equal(EscalationMessages.StableId(EscalationReason.CommitFailed, "tx-0001"), message.MessageId);
        Assert.Equal("call-abc", escalation.CallId);
        Assert.Equal("C-1001", escalation.ContactId);
        Assert.Equal("ZS/2026/001400", escalation.OrderId);
        Assert.Equal("tx-0001", escalation.TransactionId);
        Assert.Equal("Kowalski Budownictwo", escalation.Company);
        Assert.Equal("Piotr Zieliński", escalation.Recipient?.Name);
        Assert.Contains("expired", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_ErpRejectsTwice_OneEscalationTicket()
    {
        var entry = await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "aborted", 409));
        queue.FailSends = 0;
        var sut = Sut();

        await sut.ProcessAsync(Delivery(entry), CancellationToken.None);
        await sut.ProcessAsync(Delivery(entry, 2), CancellationToken.None);

        Assert.Single(queue.On(QueueNames.Escalations));
        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Process_EscalationCannotBeSent_ThrowsAndTheEntryStaysOpen()
    {
        var entry = await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "aborted", 409));
        queue.FailSends = 1;

        await Assert.ThrowsAsync<HttpRequestException>(() => Sut().ProcessAsync(Delivery(entry), CancellationToken.None));

        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Theory]
    [InlineData(ErpErrorKind.Timeout)]
    [InlineData(ErpErrorKind.Unavailable)]
    [InlineData(ErpErrorKind.CircuitOpen)]
    public async Task Process_TransientErpFailure_ThrowsForRedeliveryAndChangesNothing(ErpErrorKind kind)
    {
        var entry = await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>())).ThrowsAsync(new ErpException(kind, "down"));

        var e = await Assert.ThrowsAsync<ErpException>(() => Sut().ProcessAsync(Delivery(entry), CancellationToken.None));

        Assert.Equal(kind, e.Kind);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Process_AlreadyFailed_NothingMoreIsDone()
    {
        var entry = await Stored(Entry(status: OutboxStatus.Failed));

        await Sut().ProcessAsync(Delivery(entry), CancellationToken.None);

        erp.Verify(e => e.CommitTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Process_SweepChangedTheEntryMeanwhile_RereadsAndStillMarksCommitted()
    {
        var entry = await Stored(Entry(status: OutboxStatus.Prepared));
        CommitSucceeds();
        var interfering = new InterferingOutboxStore(outbox, async () =>
        {
            var fresh = (await outbox.GetAsync("tx-0001"))!;
            fresh.Status = OutboxStatus.Queued;
            fresh.SendAttempts++;
            await outbox.UpdateAsync(fresh);
        });

        await Sut(interfering).ProcessAsync(Delivery(entry), CancellationToken.None);

        var stored = await outbox.GetAsync("tx-0001");
        Assert.Equal(OutboxStatus.Committed, stored?.Status);
        Assert.Equal(1, stored?.SendAttempts);
        Assert.Equal(1, interfering.Conflicts);
    }

    [Fact]
    public async Task Process_NoOutboxEntry_CommitsFromTheMessageAlone()
    {
        CommitSucceeds();

        await Sut().ProcessAsync(Delivery(Entry()), CancellationToken.None);

        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"callId\":\"call-abc\"}")]
    public async Task Process_MalformedBody_ThrowsSoItEndsDeadLettered(string body)
    {
        var work = new ReceivedWork(CommitOrder.ToWorkMessage("tx-0001", "call-abc", body), 1, PreparedAt);

        var error = await Assert.ThrowsAsync<MalformedCommitOrderException>(() => Sut().ProcessAsync(work, CancellationToken.None));

        erp.Verify(e => e.CommitTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        // The message is logged on every retry and returned in the host's invocation logs: the transaction id is masked.
        Assert.DoesNotContain("tx-0001", error.Message, StringComparison.Ordinal);
        Assert.Contains("…0001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_OutboxUnreachable_CommitsFromTheMessageAndCompletes()
    {
        var entry = await Stored(Entry());
        CommitSucceeds();
        var store = new UnreachableOutboxStore(outbox) { ReadsFail = true, WritesFail = true };

        await Sut(store).ProcessAsync(Delivery(entry), CancellationToken.None);

        // Not held back, nor redelivered into a dead letter, for the outbox: the sweep brings the entry up to date.
        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Process_WithdrawnAndTheOutboxUnreadable_ErpRefuses_RedeliveredNotEscalatedAsPlaceItAgain()
    {
        // The caller heard the apology; the withdrawal closed the entry and aborted the ERP transaction. The commit that
        // was already queued comes while storage is down: the refusal cannot be told from a real one, so no ticket
        // telling a rep "the caller was told this order was accepted, place it again".
        var entry = await Stored(Entry());
        await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Closed(OutboxStatus.Aborted, time.GetUtcNow(), "withdrawn"), CancellationToken.None);
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "aborted", 409,
                new ErpProblem { Type = ErpProblemTypes.TransactionAborted, Title = "The transaction was aborted.", Status = 409 }));
        var store = new UnreachableOutboxStore(outbox) { ReadsFail = true };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Sut(store).ProcessAsync(Delivery(entry), CancellationToken.None));
        Assert.Empty(queue.On(QueueNames.Escalations));

        // Storage back: the next delivery reads the withdrawal and stays quiet.
        await Sut().ProcessAsync(Delivery(entry), CancellationToken.None);
        Assert.Empty(queue.On(QueueNames.Escalations));
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Process_OutboxUnreadable_ErpAnswersNotCommitted_RedeliveredThenEscalatedOnceReadable()
    {
        var entry = await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Aborted });
        var store = new UnreachableOutboxStore(outbox) { ReadsFail = true };

        await Assert.ThrowsAsync<InvalidOperationException>(() => Sut(store).ProcessAsync(Delivery(entry), CancellationToken.None));
        Assert.Empty(queue.On(QueueNames.Escalations));

        // A real refusal of an order the caller heard accepted: escalated once the entry can be read.
        await Sut().ProcessAsync(Delivery(entry), CancellationToken.None);
        Assert.Single(queue.On(QueueNames.Escalations));
        Assert.Equal(OutboxStatus.Failed, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Process_OutboxNeverAnswers_CommitsFromTheMessageAndCompletes()
    {
        var entry = await Stored(Entry());
        CommitSucceeds();
        var store = new UnreachableOutboxStore(outbox) { ReadsTimeOut = true };

        await Sut(store).ProcessAsync(Delivery(entry), CancellationToken.None);

        // As with storage refusing connections: the order is placed, and the sweep brings the entry up to date.
        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Process_OutboxGoesDownAfterTheErpCommitted_Completes()
    {
        var entry = await Stored(Entry());
        var store = new UnreachableOutboxStore(outbox);
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .Callback(() => store.WritesFail = true)
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Committed });

        await Sut(store).ProcessAsync(Delivery(entry), CancellationToken.None);

        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(queue.Accepted);
    }

    private void CommitSucceeds() =>
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Committed });

    private async Task<OutboxEntry> Stored(OutboxEntry entry)
    {
        await outbox.AddAsync(entry);
        return entry;
    }

    private CommitOrderProcessor Sut(IOutboxStore? store = null) =>
        new(erp.Object, store ?? outbox, queue, time, NullLogger<CommitOrderProcessor>.Instance);

    /// <summary>Lets another writer change the entry just before the first update, as a concurrent sweep would.</summary>
    private sealed class InterferingOutboxStore(IOutboxStore inner, Func<Task> otherWriter) : OutboxStoreDecorator(inner)
    {
        private bool interfered;

        public int Conflicts { get; private set; }

        public override async Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
        {
            if (!interfered)
            {
                interfered = true;
                await otherWriter();
            }

            try
            {
                await Inner.UpdateAsync(entry, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                Conflicts++;
                throw;
            }
        }
    }
}
