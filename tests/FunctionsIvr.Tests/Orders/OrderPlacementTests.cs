using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.Orders;

public class OrderPlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    private readonly Mock<ErpClient> erp = new();
    private readonly InMemoryOutboxStore outbox = new();
    private readonly CapturingWorkQueue queue = new();

    private static OrderBasket Basket(int sequence = 14) =>
        new("call-abc", "C-1001", sequence, [new OrderLineRequest("CEM-325-25", 25)]);

    private static PreparedTransaction Prepared(string transactionId = "tx-0001") => new()
    {
        TransactionId = transactionId,
        OrderNumber = "ZS/2026/001400",
        ExpiresAt = Now.AddMinutes(10),
        Total = 547.50m,
    };

    [Fact]
    public async Task Place_PreparesWithCallIdAndSequenceAsIdempotencyKey()
    {
        SetupPrepare(Prepared());

        await Sut().PlaceAsync(Basket(sequence: 14));

        erp.Verify(e => e.PrepareTransactionAsync(
            It.Is<PrepareTransactionRequest>(r => r.ContactId == "C-1001" && r.CallId == "call-abc" && r.Lines.Count == 1),
            "call-abc:14", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Place_EntryIsInTheOutboxBeforeTheCommitIsSent()
    {
        SetupPrepare(Prepared());
        OutboxEntry? atSend = null;
        queue.OnSend = m => atSend = outbox.GetAsync(m.MessageId).GetAwaiter().GetResult();

        var placed = await Sut().PlaceAsync(Basket());

        Assert.NotNull(atSend);
        Assert.Equal(OutboxStatus.Prepared, atSend.Status);
        Assert.Equal(new PlacedOrder("tx-0001", "ZS/2026/001400", Queued: true), placed);
    }

    [Fact]
    public async Task Place_Sent_EntryQueuedWithTheErpExpiryAndTheCommitBody()
    {
        SetupPrepare(Prepared());

        await Sut().PlaceAsync(Basket());

        var entry = await outbox.GetAsync("tx-0001");
        Assert.NotNull(entry);
        Assert.Equal(OutboxStatus.Queued, entry.Status);
        Assert.Equal(Now.AddMinutes(10), entry.ExpiresAt);
        Assert.Equal(Now, entry.PreparedAt);
        Assert.Equal(547.50m, entry.Total);
        Assert.Equal(1, entry.SendAttempts);
        Assert.Equal(new CommitOrder("tx-0001", "call-abc", "C-1001", "ZS/2026/001400", Now), CommitOrder.Parse(entry.MessageBody, "tx-0001"));
    }

    [Fact]
    public async Task Place_CommitMessage_ShapedForDuplicateDetectionAndCorrelation()
    {
        SetupPrepare(Prepared());

        await Sut().PlaceAsync(Basket());

        var message = Assert.Single(queue.Accepted);
        Assert.Equal(QueueNames.OrderCommits, message.QueueName);
        Assert.Equal("tx-0001", message.MessageId);
        Assert.Equal("call-abc", message.CorrelationId);
        Assert.Equal(CommitOrder.Subject, message.Subject);
        Assert.Equal("tx-0001", CommitOrder.Parse(message.Body, message.MessageId).TransactionId);
    }

    [Fact]
    public async Task Place_SameBasketTwice_OneEntryOneMessageSameOrder()
    {
        SetupPrepare(Prepared());
        var sut = Sut();

        var first = await sut.PlaceAsync(Basket());
        var second = await sut.PlaceAsync(Basket());

        Assert.Equal(first, second);
        Assert.Single(await outbox.ListAsync(Enum.GetValues<OutboxStatus>()));
        Assert.Single(queue.Accepted);
    }

    [Fact]
    public async Task Place_RepeatWhileStillPrepared_SendsAgainAndDuplicateDetectionKeepsOne()
    {
        SetupPrepare(Prepared());
        queue.FailSends = 1;
        var sut = Sut();
        await sut.PlaceAsync(Basket());

        var again = await sut.PlaceAsync(Basket());

        Assert.True(again.Queued);
        Assert.Single(queue.Accepted);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))?.Status);
    }

    [Fact]
    public async Task Place_QueueUnreachable_OrderStandsAndEntryWaitsForTheSweep()
    {
        SetupPrepare(Prepared());
        queue.FailSends = int.MaxValue;

        var placed = await Sut().PlaceAsync(Basket());

        Assert.False(placed.Queued);
        Assert.Equal("ZS/2026/001400", placed.OrderNumber);
        var entry = await outbox.GetAsync("tx-0001");
        Assert.NotNull(entry);
        Assert.Equal(OutboxStatus.Prepared, entry.Status);
        Assert.Equal(1, entry.SendAttempts);
        Assert.NotNull(entry.LastError);
    }

    [Fact]
    public async Task Place_PrepareRejected_ThrowsAndNothingIsWritten()
    {
        erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "insufficient stock", 409));

        var e = await Assert.ThrowsAsync<ErpException>(() => Sut().PlaceAsync(Basket()));

        Assert.Equal(ErpErrorKind.Rejected, e.Kind);
        Assert.Empty(await outbox.ListAsync(Enum.GetValues<OutboxStatus>()));
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Place_ErpRemembersAnExpiredTransactionForThisKey_ClosedNotAccepted()
    {
        SetupPrepare(Prepared() with { Status = TransactionStatuses.Expired });

        var e = await Assert.ThrowsAsync<OrderClosedException>(() => Sut().PlaceAsync(Basket()));

        Assert.Equal("its ERP reservation is already expired", e.Reason);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Place_ErpReplaysThePrepareItStoredBeforeItsExpiry_ClosedNotAccepted()
    {
        // A compliant ERP answers a repeated Idempotency-Key with the answer it stored: "prepared", with an expiry now past.
        SetupPrepare(Prepared() with { ExpiresAt = Now.AddSeconds(-1) });

        var e = await Assert.ThrowsAsync<OrderClosedException>(() => Sut().PlaceAsync(Basket()));

        Assert.Equal("its ERP reservation is already expired (at 2026-11-02 09:29:59Z)", e.Reason);
        Assert.Null(e.Status);
        Assert.Empty(queue.Accepted);
        Assert.Null(await outbox.GetAsync("tx-0001"));
    }

    [Fact]
    public async Task Place_ReplayWithSecondsLeftOnTheReservation_ClosedNotAccepted()
    {
        SetupPrepare(Prepared() with { ExpiresAt = Now.AddSeconds(10) });

        var e = await Assert.ThrowsAsync<OrderClosedException>(() => Sut().PlaceAsync(Basket()));

        Assert.Equal("its ERP reservation is already about to expire (at 2026-11-02 09:30:10Z, too soon to commit)", e.Reason);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Place_ReservationWithTimeEnoughToCommit_Accepted()
    {
        SetupPrepare(Prepared() with { ExpiresAt = Now.AddSeconds(31) });

        var placed = await Sut().PlaceAsync(Basket());

        Assert.Equal("tx-0001", placed.TransactionId);
    }

    [Fact]
    public async Task Place_ErpClockTenMinutesBehindOurs_ItsFreshReservationIsAccepted()
    {
        // A 10-minute reservation on an ERP whose clock is 10 minutes slow expires "now" by our clock.
        var behind = TimeSpan.FromMinutes(-10);
        SetupPrepare(Prepared() with { ExpiresAt = Now + behind + TimeSpan.FromMinutes(10), ErpClockAhead = behind });

        var placed = await Sut().PlaceAsync(Basket());

        Assert.Equal("tx-0001", placed.TransactionId);
        // The outbox keeps the expiry on our clock, which the sweep compares it with.
        Assert.Equal(Now.AddMinutes(10), (await outbox.GetAsync("tx-0001"))!.ExpiresAt);
    }

    [Fact]
    public async Task Place_ErpClockAheadOfOursWithSecondsLeftOnItsClock_ClosedNotAccepted()
    {
        var ahead = TimeSpan.FromMinutes(15);
        SetupPrepare(Prepared() with { ExpiresAt = Now + ahead + TimeSpan.FromSeconds(10), ErpClockAhead = ahead });

        var e = await Assert.ThrowsAsync<OrderClosedException>(() => Sut().PlaceAsync(Basket()));

        Assert.Equal("its ERP reservation is already about to expire (at 2026-11-02 09:45:10Z, too soon to commit)", e.Reason);
        Assert.Empty(queue.Accepted);
    }

    [Fact]
    public async Task Place_ErpClockSkewedByMoreThanAMinute_WarnsOnceAnHourNotPerOrder()
    {
        var clock = new ManualTimeProvider(Now);
        var logs = new CapturingLoggerProvider();
        var erpClock = ErpClockAt(clock, logs);
        var ahead = TimeSpan.FromMinutes(5);
        SetupPrepare(Prepared() with { ExpiresAt = Now + ahead + TimeSpan.FromMinutes(10), ErpClockAhead = ahead });

        await Sut(clock, erpClock).PlaceAsync(Basket(1));
        await Sut(clock, erpClock).PlaceAsync(Basket(2));
        clock.Advance(ErpClock.WarnEvery);
        await Sut(clock, erpClock).PlaceAsync(Basket(3));

        var warnings = logs.Lines.Where(l => l.EventId.Id == 7030).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Equal("300", warnings[0].Find("AheadSeconds"));
    }

    [Fact]
    public async Task Place_ErpClockWithinAMinuteOfOurs_NoWarning()
    {
        var logs = new CapturingLoggerProvider();
        var clock = new ManualTimeProvider(Now);
        SetupPrepare(Prepared() with { ErpClockAhead = TimeSpan.FromSeconds(-59) });

        await Sut(clock, ErpClockAt(clock, logs)).PlaceAsync(Basket());

        Assert.DoesNotContain(logs.Lines, l => l.EventId.Id == 7030);
    }

    [Fact]
    public async Task Place_ReplayPastExpiryOfAnOrderAcceptedBefore_TheEarlierEntryStands()
    {
        SetupPrepare(Prepared());
        await Sut().PlaceAsync(Basket());
        SetupPrepare(Prepared() with { ExpiresAt = Now.AddSeconds(-1) });

        var placed = await Sut().PlaceAsync(Basket());

        Assert.Equal("tx-0001", placed.TransactionId);
        Assert.Single(queue.Accepted);
    }

    private void SetupPrepare(PreparedTransaction prepared) =>
        erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(prepared);

    [Fact]
    public async Task Place_QueueDoesNotAnswer_AcceptedAfterTheSendTimeoutAndLeftForTheSweep()
    {
        SetupPrepare(Prepared());
        var clock = new ManualTimeProvider(Now);
        var silent = new SilentWorkQueue();
        var sut = new OrderPlacement(erp.Object, outbox, silent, clock, ErpClockAt(clock),
            Options.Create(new OrdersOptions { SendTimeout = TimeSpan.FromSeconds(1) }), NullLogger<OrderPlacement>.Instance);

        var placing = sut.PlaceAsync(Basket());
        await silent.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(1));
        var finished = await Task.WhenAny(placing, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.True(finished == placing, "the caller waited for a queue that does not answer");
        Assert.Equal(new PlacedOrder("tx-0001", "ZS/2026/001400", Queued: false), await placing);
        var entry = await outbox.GetAsync("tx-0001");
        Assert.Equal(OutboxStatus.Prepared, entry!.Status);
        Assert.Equal(1, entry.SendAttempts);
    }

    [Fact]
    public async Task Place_StorageGoesDownBetweenTheSendAndTheStatus_StillAcceptedAndSent()
    {
        SetupPrepare(Prepared());
        var store = new UnreachableOutboxStore(outbox);
        queue.OnSend = _ => store.WritesFail = true;
        var sut = new OrderPlacement(erp.Object, store, queue, new ManualTimeProvider(Now), ErpClockAt(new ManualTimeProvider(Now)),
            Options.Create(new OrdersOptions()), NullLogger<OrderPlacement>.Instance);

        var placed = await sut.PlaceAsync(Basket());

        // The caller hears "accepted" for an order that is in the outbox and on the queue; the entry says Prepared, so the
        // sweep sends it once more and duplicate detection drops the copy.
        Assert.Equal("tx-0001", placed.TransactionId);
        Assert.Single(queue.Accepted);
        Assert.Equal(OutboxStatus.Prepared, (await outbox.GetAsync("tx-0001"))!.Status);
    }

    [Fact]
    public async Task Place_StorageHangsBetweenTheSendAndTheStatus_AcceptedAfterTheSendTimeout()
    {
        SetupPrepare(Prepared());
        var clock = new ManualTimeProvider(Now);
        var store = new UnreachableOutboxStore(outbox);
        queue.OnSend = _ => store.WritesHang = true;
        var sut = new OrderPlacement(erp.Object, store, queue, clock, ErpClockAt(clock),
            Options.Create(new OrdersOptions { SendTimeout = TimeSpan.FromSeconds(1) }), NullLogger<OrderPlacement>.Instance);

        var placing = sut.PlaceAsync(Basket());
        await store.WriteHanging.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(1));
        var finished = await Task.WhenAny(placing, Task.Delay(TimeSpan.FromSeconds(10)));

        // The order is in the outbox and on the queue: the caller hears "accepted"; the entry still says Prepared, so the
        // sweep sends it once more and duplicate detection drops the copy.
        Assert.True(finished == placing, "the caller waited for a status write that storage never answers");
        Assert.Equal(new PlacedOrder("tx-0001", "ZS/2026/001400", Queued: true), await placing);
        Assert.Single(queue.Accepted);
        Assert.Equal(OutboxStatus.Prepared, (await outbox.GetAsync("tx-0001"))!.Status);
    }

    /// <summary>
    /// The platform repeats the confirmation after the order was withdrawn (the caller heard the apology) or refused at
    /// commit: the ERP replays the same transaction, but nothing will commit it, so "accepted" would be untrue.
    /// </summary>
    [Theory]
    [InlineData(OutboxStatus.Aborted)]
    [InlineData(OutboxStatus.Failed)]
    public async Task Place_RepeatAfterTheOrderWasClosed_NotAcceptedAndNothingSent(OutboxStatus closed)
    {
        SetupPrepare(Prepared());
        var sut = Sut();
        await sut.PlaceAsync(Basket());
        var entry = (await outbox.GetAsync("tx-0001"))!;
        await OutboxChanges.ApplyAsync(outbox, entry, OutboxChanges.Closed(closed, Now, "closed"), CancellationToken.None);
        var sentBefore = queue.Accepted.Count;

        var error = await Assert.ThrowsAsync<OrderClosedException>(() => sut.PlaceAsync(Basket()));

        Assert.Equal(closed, error.Status);
        Assert.Equal(sentBefore, queue.Accepted.Count);
        Assert.Empty(queue.Duplicates);
        Assert.Equal(closed, (await outbox.GetAsync("tx-0001"))!.Status);
    }

    [Fact]
    public async Task Place_RepeatOfAnOrderAlreadyCommitted_GivenUpOn_OrderStandsAndNothingIsAborted()
    {
        // The same basket confirmed again (the ERP replays the transaction) after its commit went through: a give-up
        // cannot take the order back, so it stands and the ERP is not asked to abort it.
        SetupPrepare(Prepared());
        await Sut().PlaceAsync(Basket());
        var entry = (await outbox.GetAsync("tx-0001"))!;
        entry.Status = OutboxStatus.Committed;
        await outbox.UpdateAsync(entry);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sut().PlaceAsync(Basket(), letStand: _ => Task.FromResult(false)));

        Assert.Equal(OutboxStatus.Committed, (await outbox.GetAsync("tx-0001"))!.Status);
        erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Place_TurnAbandonedWhileTheOutboxWriteWasApplied_OrderWithdrawn()
    {
        // Table Storage may apply a write whose answer the cancelled caller never reads.
        SetupPrepare(Prepared());
        SetupAbort(TransactionStatuses.Aborted);
        var abandoned = false;
        var store = new WriteAppliedThenCancelled(outbox, () => abandoned = true);
        var sut = new OrderPlacement(erp.Object, store, queue, new ManualTimeProvider(Now), ErpClockAt(new ManualTimeProvider(Now)),
            Options.Create(new OrdersOptions()), NullLogger<OrderPlacement>.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.PlaceAsync(Basket(), turnAbandoned: () => Task.FromResult(abandoned)));

        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))!.Status);
        Assert.Empty(queue.Accepted);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Place_TurnAbandonedBeforeTheOutboxWriteLanded_WithdrawnAndTheRepeatedConfirmationIsNotAccepted()
    {
        // The write never landed, so nothing in the outbox says the transaction was withdrawn. The platform then repeats
        // the confirmation: the ERP replays the same prepared transaction (same key), which the withdrawal aborted.
        SetupPrepare(Prepared());
        SetupAbort(TransactionStatuses.Aborted);
        var abandoned = false;
        var store = new WriteAppliedThenCancelled(outbox, () => abandoned = true, applied: false);
        var sut = new OrderPlacement(erp.Object, store, queue, new ManualTimeProvider(Now), ErpClockAt(new ManualTimeProvider(Now)),
            Options.Create(new OrdersOptions()), NullLogger<OrderPlacement>.Instance);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.PlaceAsync(Basket(), turnAbandoned: () => Task.FromResult(abandoned)));

        var repeat = await Assert.ThrowsAsync<OrderClosedException>(() => sut.PlaceAsync(Basket(), turnAbandoned: () => Task.FromResult(false)));

        Assert.Equal(OutboxStatus.Aborted, repeat.Status);
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))!.Status);
        Assert.Empty(queue.Accepted);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Place_CutByItsTimeLimitAfterTheOutboxWriteLanded_WithdrawalLeftForWhoeverAnswersTheTurn()
    {
        // Not given up on: a replay elsewhere may still tell the caller it was accepted, so nothing is withdrawn yet; the
        // withdrawal handed over closes the entry when it runs.
        SetupPrepare(Prepared());
        SetupAbort(TransactionStatuses.Aborted);
        var store = new WriteAppliedThenCancelled(outbox, () => { });
        var sut = new OrderPlacement(erp.Object, store, queue, new ManualTimeProvider(Now), ErpClockAt(new ManualTimeProvider(Now)),
            Options.Create(new OrdersOptions()), NullLogger<OrderPlacement>.Instance);
        Func<Task>? left = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.PlaceAsync(Basket(), turnAbandoned: () => Task.FromResult(false),
            leaveUndo: undo =>
            {
                left = undo;
                return true;
            }));

        Assert.Equal(OutboxStatus.Prepared, (await outbox.GetAsync("tx-0001"))!.Status);
        erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        await left!();
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))!.Status);
        Assert.Empty(queue.Accepted);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Place_CutBeforeTheOutboxWriteLanded_TurnGivenUpWhileLeavingTheWithdrawal_WithdrawnAtOnceAndClosedForRepeats()
    {
        SetupPrepare(Prepared());
        SetupAbort(TransactionStatuses.Aborted);
        var store = new WriteAppliedThenCancelled(outbox, () => { }, applied: false);
        var sut = new OrderPlacement(erp.Object, store, queue, new ManualTimeProvider(Now), ErpClockAt(new ManualTimeProvider(Now)),
            Options.Create(new OrdersOptions()), NullLogger<OrderPlacement>.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sut.PlaceAsync(Basket(), turnAbandoned: () => Task.FromResult(false),
            leaveUndo: _ => false));

        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))!.Status);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Place_TheTurnsDecisionWentToTheGiveUp_OrderWithdrawn()
    {
        SetupPrepare(Prepared());
        SetupAbort(TransactionStatuses.Aborted);
        PlacedOrder? asked = null;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Sut().PlaceAsync(Basket(), letStand: placed =>
        {
            asked = placed;
            return Task.FromResult(false);
        }));

        Assert.Equal("tx-0001", asked?.TransactionId);
        Assert.Equal(OutboxStatus.Aborted, (await outbox.GetAsync("tx-0001"))!.Status);
        // Decided before the commit was queued: no commit message can get to the ERP ahead of the withdrawal.
        Assert.Empty(queue.Accepted);
        erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Place_TheTurnsDecisionTakenForTheOrder_StandsWithoutAskingAgain()
    {
        // Once the decision is taken a later give-up follows it (the caller hears "accepted"), so nothing else is asked.
        SetupPrepare(Prepared());
        var asked = 0;

        var placed = await Sut().PlaceAsync(Basket(), turnAbandoned: () => Task.FromResult(++asked > 0), letStand: _ => Task.FromResult(true));

        Assert.Equal("tx-0001", placed.TransactionId);
        Assert.Equal(0, asked);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))!.Status);
        erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Place_OnlyTheWorkTimeLimitPassed_OrderStands()
    {
        // A time limit is not an apology: a replay on another instance may have told the caller "accepted" for this very
        // transaction, so the order stands.
        SetupPrepare(Prepared());
        using var timeLimit = new CancellationTokenSource();
        queue.OnSend = _ => timeLimit.Cancel();

        var placed = await Sut().PlaceAsync(Basket(), timeLimit.Token, turnAbandoned: () => Task.FromResult(false));

        Assert.Equal("tx-0001", placed.TransactionId);
        Assert.Single(queue.Accepted);
        Assert.Equal(OutboxStatus.Queued, (await outbox.GetAsync("tx-0001"))!.Status);
        erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private void SetupAbort(string status) =>
        erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = status });

    /// <summary>
    /// The first add is cut: the caller's turn is given up on before its answer is read, the write applied by the store
    /// (<paramref name="applied"/>) or not. Later adds go through.
    /// </summary>
    private sealed class WriteAppliedThenCancelled(IOutboxStore inner, Action abandon, bool applied = true) : OutboxStoreDecorator(inner)
    {
        private int _adds;

        public override async Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _adds) > 1)
            {
                await Inner.AddAsync(entry, cancellationToken);
                return;
            }

            if (applied) await Inner.AddAsync(entry, cancellationToken);
            abandon();
            throw new OperationCanceledException(applied ? "cut after the write was applied" : "cut before the write was applied");
        }
    }

    private OrderPlacement Sut(TimeProvider? time = null, ErpClock? erpClock = null)
    {
        time ??= new ManualTimeProvider(Now);
        return new(erp.Object, outbox, queue, time, erpClock ?? ErpClockAt(time), Options.Create(new OrdersOptions()),
            NullLogger<OrderPlacement>.Instance);
    }

    private static ErpClock ErpClockAt(TimeProvider time, ILoggerProvider? logs = null) =>
        new(time, (logs is null ? NullLoggerFactory.Instance : LoggerFactory.Create(b => b.AddProvider(logs))).CreateLogger<ErpClock>());

    /// <summary>A queue whose sends never answer (a namespace that takes the connection and goes silent) until cancelled.</summary>
    private sealed class SilentWorkQueue : IWorkQueue
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public Task SendAsync(WorkMessage message, CancellationToken cancellationToken = default)
        {
            _entered.TrySetResult();
            return Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
