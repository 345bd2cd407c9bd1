using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Hosting;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using static FunctionsIvr.Tests.Orders.OutboxFixtures;

namespace FunctionsIvr.Tests.Orders;

public class OutboxSweeperTests
{
    private readonly Mock<ErpClient> erp = new();
    private readonly InMemoryOutboxStore outbox = new();
    private readonly CapturingWorkQueue queue = new();
    private readonly ManualTimeProvider time = new(PreparedAt);

    [Fact]
    public async Task Sweep_PreparedForOverAMinute_ResentWithTheSameMessageIdAndQueued()
    {
        var entry = await Stored(Entry(status: OutboxStatus.Prepared));
        time.Advance(TimeSpan.FromSeconds(61));

        var result = await Sut().SweepAsync();

        Assert.Equal(1, result.Resent);
        var message = Assert.Single(queue.On(QueueNames.OrderCommits));
        Assert.Equal("tx-0001", message.MessageId);
        Assert.Equal(entry.MessageBody, message.Body);
        Assert.Equal("call-abc", message.CorrelationId);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Sweep_PreparedInATurnGivenUpOn_WithdrawnNotCommitted()
    {
        // The placement was cut after its write landed, and the caller heard the apology on another instance.
        await Stored(Entry(status: OutboxStatus.Prepared, turn: 7));
        await Decided(HeldTurns.Abandoned);
        erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Aborted });
        time.Advance(TimeSpan.FromSeconds(61));

        var result = await Sut(callState: callState).SweepAsync();

        Assert.Equal(1, result.Aborted);
        Assert.Empty(queue.Accepted);
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))?.Status);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(HeldTurns.Stands)]
    [InlineData(null)]
    public async Task Sweep_PreparedInATurnThatStoodOrWasNeverGivenUpOn_Resent(string? decision)
    {
        await Stored(Entry(status: OutboxStatus.Prepared, turn: 7));
        if (decision is not null) await Decided(decision);
        time.Advance(TimeSpan.FromSeconds(61));

        var result = await Sut(callState: callState).SweepAsync();

        Assert.Equal(1, result.Resent);
        Assert.Single(queue.On(QueueNames.OrderCommits));
        erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Sweep_PreparedInATurnWhoseDecisionCannotBeRead_LeftForTheNextPassNotCommitted()
    {
        await Stored(Entry(status: OutboxStatus.Prepared, turn: 7));
        time.Advance(TimeSpan.FromSeconds(61));

        var result = await Sut(callState: CallStateDown()).SweepAsync();

        Assert.Equal(1, result.Skipped);
        Assert.Empty(queue.Accepted);
        Assert.Equal(OutboxStatus.Prepared, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Sweep_PreparedInATurnWhoseDecisionCannotBeRead_ReservationExpiringSoon_ResentAsBefore()
    {
        // An order the caller may have heard accepted is not lost to a call state that cannot say (the entry expires at
        // ten minutes; three re-send periods before that, it is sent).
        await Stored(Entry(status: OutboxStatus.Prepared, turn: 7));
        time.Advance(TimeSpan.FromMinutes(7.5));

        var result = await Sut(callState: CallStateDown()).SweepAsync();

        Assert.Equal(1, result.Resent);
        Assert.Single(queue.On(QueueNames.OrderCommits));
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    private static ICallStateStore CallStateDown()
    {
        var down = new Mock<ICallStateStore>();
        down.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new Azure.RequestFailedException(503, "down"));
        return down.Object;
    }

    [Fact]
    public async Task Sweep_PreparedJustNow_LeftForThePlacementToFinish()
    {
        await Stored(Entry(status: OutboxStatus.Prepared));
        time.Advance(TimeSpan.FromSeconds(30));

        var result = await Sut().SweepAsync();

        Assert.Equal(0, result.Resent);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Sweep_MessageWasSentButNotRecorded_DuplicateDetectionKeepsOne()
    {
        var entry = await Stored(Entry(status: OutboxStatus.Prepared));
        await queue.SendAsync(CommitOrder.ToWorkMessage(entry.TransactionId, entry.CallId, entry.MessageBody));
        time.Advance(TimeSpan.FromMinutes(2));

        await Sut().SweepAsync();

        Assert.Single(queue.On(QueueNames.OrderCommits));
        Assert.Single(queue.Duplicates);
    }

    [Fact]
    public async Task Sweep_ResendFails_StaysPreparedWithTheErrorAndIsTriedNextPass()
    {
        await Stored(Entry(status: OutboxStatus.Prepared));
        time.Advance(TimeSpan.FromMinutes(2));
        queue.FailSends = 1;
        var sut = Sut();

        var failed = await sut.SweepAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        var retried = await sut.SweepAsync();

        Assert.Equal(1, failed.Skipped);
        Assert.Equal(1, retried.Resent);
        var stored = await outbox.GetAsync("tx-0001");
        Assert.Equal(OutboxStatus.Queued, stored?.Status);
        Assert.Equal(2, stored?.SendAttempts);
    }

    [Theory]
    [InlineData(OutboxStatus.Prepared)]
    [InlineData(OutboxStatus.Queued)]
    public async Task Sweep_ExpiredUncommitted_AbortedMarkedAbortedAndEscalated(OutboxStatus status)
    {
        await Stored(Entry(status: status));
        erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Expired });
        time.Advance(TimeSpan.FromMinutes(12));

        var result = await Sut().SweepAsync();

        Assert.Equal(1, result.Aborted);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))?.Status);
        var message = Assert.Single(queue.On(QueueNames.Escalations));
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal(EscalationReason.CommitFailed, escalation.Reason);
        Assert.Equal("tx-0001", escalation.TransactionId);
        Assert.Equal("ZS/2026/001400", escalation.OrderId);
        Assert.Equal("call-abc", escalation.CallId);
        Assert.Equal("C-1001", escalation.ContactId);
        Assert.Empty(queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Sweep_ExpiredWithinTheGrace_NotAbortedYet()
    {
        await Stored(Entry());
        time.Advance(TimeSpan.FromMinutes(10.5));

        var result = await Sut().SweepAsync();

        Assert.Equal(0, result.Aborted);
        erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Sweep_ExpiredButTheErpCommittedIt_MarkedCommittedWithoutEscalation()
    {
        await Stored(Entry());
        erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "committed", 409,
                new ErpProblem { Type = ErpProblemTypes.TransactionCommitted, Status = 409 }));
        time.Advance(TimeSpan.FromMinutes(12));

        var result = await Sut().SweepAsync();

        Assert.Equal(1, result.Committed);
        Assert.Equal(OutboxStatus.Committed, (await outbox.GetAsync("tx-0001"))?.Status);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Sweep_AbortFailsTransiently_EntryStaysOpenForTheNextPass()
    {
        await Stored(Entry());
        erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"));
        time.Advance(TimeSpan.FromMinutes(12));

        var result = await Sut().SweepAsync();

        Assert.Equal(1, result.Skipped);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
        Assert.Empty(queue.Accepted);
    }

    [Theory]
    [InlineData(OutboxStatus.Committed)]
    [InlineData(OutboxStatus.Failed)]
    [InlineData(OutboxStatus.Aborted)]
    public async Task Sweep_ClosedEntries_LeftAlone(OutboxStatus status)
    {
        await Stored(Entry(status: status));
        time.Advance(TimeSpan.FromHours(1));

        var result = await Sut().SweepAsync();

        Assert.Equal(new OutboxSweepResult(), result);
        Assert.Equal(status, (await outbox.GetAsync("tx-0001"))?.Status);
        Assert.Empty(queue.Accepted);
        Assert.Empty(erp.Invocations);
    }

    [Fact]
    public async Task Sweep_OneEntryFails_TheOthersAreStillSwept()
    {
        await Stored(Entry("tx-0001"));
        await Stored(Entry("tx-0002", OutboxStatus.Prepared));
        erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Timeout, "slow"));
        erp.Setup(e => e.AbortTransactionAsync("tx-0002", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0002", Status = TransactionStatuses.Aborted });
        time.Advance(TimeSpan.FromMinutes(12));

        var result = await Sut().SweepAsync();

        Assert.Equal(new OutboxSweepResult(Aborted: 1, Skipped: 1), result);
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0002"))?.Status);
    }

    [Fact]
    public async Task Sweep_QueuedBeforeTheInProcessQueueStarted_ResentOnceWithTheSameMessageIdAndLogged()
    {
        var entry = await Stored(Entry());
        var restartedAt = PreparedAt.AddMinutes(2);
        time.Advance(TimeSpan.FromMinutes(2));
        var logs = new CapturingLoggerProvider();
        var sut = Sut(new VolatileWorkQueue(restartedAt), logs);

        var first = await sut.SweepAsync();
        time.Advance(TimeSpan.FromMinutes(2));
        var second = await sut.SweepAsync();

        Assert.Equal(1, first.Resent);
        Assert.Equal(0, second.Resent);
        var message = Assert.Single(queue.On(QueueNames.OrderCommits));
        Assert.Equal("tx-0001", message.MessageId);
        Assert.Equal(entry.MessageBody, message.Body);
        Assert.Empty(queue.Duplicates);
        var stored = await outbox.GetAsync("tx-0001");
        Assert.Equal(OutboxStatus.Queued, stored?.Status);
        Assert.Equal(1, stored?.SendAttempts);
        Assert.Equal(restartedAt, stored?.UpdatedAt);
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 7026);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(Redact.Id("tx-0001"), line.Find("TransactionId"));
    }

    [Fact]
    public async Task Sweep_QueuedSinceTheInProcessQueueStarted_LeftInTheQueue()
    {
        await Stored(Entry());
        time.Advance(TimeSpan.FromMinutes(3));

        var result = await Sut(new VolatileWorkQueue(PreparedAt.AddSeconds(-30))).SweepAsync();

        Assert.Equal(new OutboxSweepResult(), result);
        Assert.Empty(queue.Accepted);
        Assert.Equal(PreparedAt, (await outbox.GetAsync("tx-0001"))?.UpdatedAt);
    }

    [Fact]
    public async Task Sweep_DurableQueue_QueuedWithinItsRedeliveries_LeftToTheQueue()
    {
        await Stored(Entry());
        time.Advance(TimeSpan.FromMinutes(3));

        var result = await Sut().SweepAsync();

        Assert.Equal(new OutboxSweepResult(), result);
        Assert.Empty(queue.Accepted);
        Assert.Empty(erp.Invocations);
    }

    /// <summary>
    /// The ERP was down longer than the queue's redeliveries: the message was dead-lettered with the entry still Queued
    /// and its reservation running. A re-send would be dropped as a duplicate, so the sweep commits it itself.
    /// </summary>
    [Fact]
    public async Task Sweep_QueuedLongerThanTheRedeliveries_CommittedByTheSweepWithoutASend()
    {
        await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Committed });
        time.Advance(TimeSpan.FromMinutes(5));
        var logs = new CapturingLoggerProvider();

        var result = await Sut(logs: logs).SweepAsync();
        var again = await Sut().SweepAsync();

        Assert.Equal(new OutboxSweepResult(Recommitted: 1), result);
        Assert.Equal(new OutboxSweepResult(), again);
        Assert.Equal(OutboxStatus.Committed, (await outbox.GetAsync("tx-0001"))?.Status);
        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(queue.Accepted);
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 7027);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(Redact.Id("tx-0001"), line.Find("TransactionId"));
    }

    [Fact]
    public async Task Sweep_StuckCommitFailsTransiently_StaysQueuedAndTheNextPassCommitsIt()
    {
        await Stored(Entry());
        erp.SetupSequence(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Committed });
        time.Advance(TimeSpan.FromMinutes(5));

        var failed = await Sut().SweepAsync();
        var stillQueued = (await outbox.GetAsync("tx-0001"))?.Status;
        time.Advance(TimeSpan.FromMinutes(1));
        var retried = await Sut().SweepAsync();

        Assert.Equal(new OutboxSweepResult(Skipped: 1), failed);
        Assert.Equal(OutboxStatus.Queued, stillQueued);
        Assert.Equal(new OutboxSweepResult(Recommitted: 1), retried);
        Assert.Equal(OutboxStatus.Committed, (await outbox.GetAsync("tx-0001"))?.Status);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Sweep_StuckCommitRefusedByTheErp_MarkedFailedAndEscalatedOnce()
    {
        await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "409 transaction-aborted"));
        time.Advance(TimeSpan.FromMinutes(5));

        await Sut().SweepAsync();
        time.Advance(TimeSpan.FromMinutes(1));
        var next = await Sut().SweepAsync();

        Assert.Equal(OutboxStatus.Failed, (await outbox.GetAsync("tx-0001"))?.Status);
        var escalation = Assert.Single(queue.On(QueueNames.Escalations));
        Assert.Contains("tx-0001", escalation.Body, StringComparison.Ordinal);
        Assert.Equal(new OutboxSweepResult(), next);
    }

    [Fact]
    public async Task Sweep_QueuedBeforeARestartAndTheResendFails_StaysQueuedAndIsTriedNextPass()
    {
        await Stored(Entry());
        time.Advance(TimeSpan.FromMinutes(2));
        queue.FailSends = 1;
        var sut = Sut(new VolatileWorkQueue(PreparedAt.AddMinutes(1)));

        var failed = await sut.SweepAsync();
        var retried = await sut.SweepAsync();

        Assert.Equal(1, failed.Skipped);
        Assert.Equal(1, retried.Resent);
        Assert.Single(queue.On(QueueNames.OrderCommits));
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    /// <summary>
    /// The local app restarted with its state kept (Azurite) and the in-process queue new: an order queued before the
    /// restart is committed once, through the real queue, dispatcher and commit processor.
    /// </summary>
    [Fact]
    public async Task Sweep_AfterTheInProcessQueueRestarted_OrderQueuedBeforeIsCommittedOnce()
    {
        await Stored(Entry());
        erp.Setup(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Committed });
        time.Advance(TimeSpan.FromMinutes(3));
        using var restarted = RestartedApp();
        await restarted.StartAsync();
        var sweeper = restarted.Services.GetRequiredService<OutboxSweeper>();
        var inProcessQueue = restarted.Services.GetRequiredService<InProcessWorkQueue>();

        var first = await sweeper.SweepAsync();
        await inProcessQueue.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await sweeper.SweepAsync();
        await inProcessQueue.WaitForIdleAsync(TimeSpan.FromSeconds(30));
        await restarted.StopAsync();

        Assert.Equal(1, first.Resent);
        Assert.Equal(new OutboxSweepResult(), second);
        Assert.Equal(OutboxStatus.Committed, (await outbox.GetAsync("tx-0001"))?.Status);
        erp.Verify(e => e.CommitTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
        Assert.Empty(inProcessQueue.DeadLetters);
    }

    /// <summary>The orders with the in-process queue, on this test's outbox, ERP and clock: a process started after the entry was queued.</summary>
    private IHost RestartedApp()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IOutboxStore>(outbox);
        builder.Services.AddSingleton(erp.Object);
        builder.AddInProcessWorkQueue();
        builder.AddOrders();
        return builder.Build();
    }

    private async Task<OutboxEntry> Stored(OutboxEntry entry)
    {
        await outbox.AddAsync(entry);
        return entry;
    }

    private OutboxSweeper Sut(VolatileWorkQueue? volatileQueue = null, CapturingLoggerProvider? logs = null, ICallStateStore? callState = null) =>
        new(outbox, queue, erp.Object, new CommitOrderProcessor(erp.Object, outbox, queue, time, NullLogger<CommitOrderProcessor>.Instance),
            time, Options.Create(new OrdersOptions()),
            logs is null ? NullLogger<OutboxSweeper>.Instance : new Logger<OutboxSweeper>(new LoggerFactory([logs])), volatileQueue, callState);

    private readonly InMemoryCallStateStore callState = new(TimeProvider.System, Options.Create(new InMemoryStateOptions()));

    /// <summary>Turn 7 of call-abc was decided: <paramref name="decision"/>.</summary>
    private Task Decided(string decision) =>
        callState.SaveAsync(new CallState(HeldTurns.Key("call-abc", 7)) { Values = { [HeldTurns.DecisionKey] = decision } });
}
