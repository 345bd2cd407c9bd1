using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using static FunctionsIvr.Tests.Calls.Orders.OrderCalls;

namespace FunctionsIvr.Tests.Calls.Orders;

public class RepeatOrderFlowTests
{
    private static readonly Order Last = Order("o-7", "ZS/2026/001207", OrderStatuses.Delivered, daysAgo: 3, delivery: null,
        Line("CEM-325-25", 40, 21.90m), Line("PUST-CER-25", 500, 9.85m));

    private static readonly Order Cancelled = Order("o-9", "ZS/2026/001209", OrderStatuses.Cancelled, daysAgo: 1, delivery: null,
        Line("KLEJ-C2TE-25", 5, 42.90m));

    [Fact]
    public async Task Repeat_OnlyCancelledOrders_NoPreviousOrderThenMainMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Cancelled);

        var none = await calls.FromMainMenuAsync('2');
        var menu = await calls.NextAsync();

        Assert.Equal("Play:121", Heard(none));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task Repeat_LastOrderNotCancelled_SummaryOfLinesAndTotalInWholeUnits()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Last, Cancelled);

        var first = await calls.FromMainMenuAsync('2');
        var rest = await calls.ListenUntilAskedAsync();

        // 40 × 21.90 + 500 × 9.85 = 5801.00
        Assert.Equal(["Play:122", "SayNumber:2", "Play:123", "SayNumber:5801", "GetDTMF:124"], Heard([first, .. rest]));
    }

    [Theory]
    [InlineData("EUR", "5801.00", "total of the last order not said: in EUR, the prompts name PLN")]
    [InlineData("PLN", "0", "total of the last order not said: it comes to 0")]
    [InlineData("PLN", "0.40", "total of the last order not said: it comes to 0")] // said in whole units: "0 złoty"
    public async Task Repeat_TotalNotToBeSaid_SummaryWithoutTheTotal(string currency, string total, string note)
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Last with { Currency = currency, Total = decimal.Parse(total, System.Globalization.CultureInfo.InvariantCulture) });

        var first = await calls.FromMainMenuAsync('2');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(["Play:122", "SayNumber:2", "GetDTMF:124"], Heard([first, .. rest]));
        Assert.Contains(first.Notes, n => n == note);
    }

    [Fact]
    public async Task Repeat_ErpReplaysAnExpiredPrepare_TryLaterNotRejected()
    {
        using var calls = await AtConfirmation();
        calls.PrepareReturns(Prepared("tx-0001", "ZS/2026/001400") with { ExpiresAt = calls.Call.Time.GetUtcNow().AddSeconds(-1) });

        var answer = await calls.KeysAsync("1");

        // "Try later, or press for a person", not 130 ("the ERP said no", as for out of stock): the ERP refused nothing.
        Assert.Equal("GetDTMF:131", Heard(answer));
        Assert.Contains(answer.Notes, n => n.StartsWith("order not placed: its ERP reservation is already expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Repeat_Confirmed_PreparesTheSameLinesAndSaysAcceptedWithTheNumber()
    {
        using var calls = await AtConfirmation();
        PrepareTransactionRequest? prepared = null;
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((PrepareTransactionRequest request, string? _, CancellationToken _) => prepared = request)
            .ReturnsAsync(Prepared("tx-0001", "ZS/2026/001400"));

        var accepted = await calls.KeysAsync("1");
        var number = await calls.NextAsync();
        var menu = await calls.NextAsync();

        Assert.Equal(["Play:129", "SayDigits:1400", "GetDTMF:2"], Heard([accepted, number, menu]));
        Assert.NotNull(prepared);
        Assert.Equal(ContactId, prepared.ContactId);
        Assert.Equal(calls.Call.CallId, prepared.CallId);
        Assert.Equal([new OrderLineRequest("CEM-325-25", 40), new OrderLineRequest("PUST-CER-25", 500)], prepared.Lines);
    }

    [Fact]
    public async Task Repeat_Accepted_OrderIsInTheOutboxAndTheCommitIsQueued()
    {
        using var calls = await AtConfirmation();
        calls.PrepareReturns(Prepared("tx-0001", "ZS/2026/001400"));

        await calls.KeysAsync("1");

        var entry = await calls.Outbox.GetAsync("tx-0001");
        Assert.NotNull(entry);
        Assert.Equal(OutboxStatus.Queued, entry.Status);
        Assert.Equal(calls.Call.CallId, entry.CallId);
        var message = Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
        Assert.Equal("tx-0001", message.MessageId);
        Assert.Equal(calls.Call.CallId, message.CorrelationId);
        Assert.Equal("CommitOrder", message.Subject);
    }

    [Fact]
    public async Task Repeat_SameConfirmationCallbackTwice_PreparesOneTransaction()
    {
        using var calls = await AtConfirmation();
        var keys = new List<string?>();
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((PrepareTransactionRequest _, string? key, CancellationToken _) => keys.Add(key))
            .ReturnsAsync(Prepared("tx-0001"));

        var first = await calls.Call.StartAsync("GetDTMF", "1");
        var repeat = await calls.Call.StartAsync("GetDTMF", "1");

        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Matches("^" + calls.Call.CallId + @":\d+$", keys[0]);
        Assert.Single(await calls.Outbox.ListAsync([OutboxStatus.Prepared, OutboxStatus.Queued]));
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
        Assert.Equal(Heard(first), Heard(repeat));
        Assert.Equal(first.Session.Get(FunctionsIvr.Calls.Orders.OrderKeys.AcceptedDigits), repeat.Session.Get(FunctionsIvr.Calls.Orders.OrderKeys.AcceptedDigits));
    }

    [Fact]
    public async Task Repeat_ConfirmationReplayedAfterAHoldOnAnotherInstance_SameIdempotencyKey()
    {
        using var calls = await AtConfirmation();
        var keys = new List<string?>();
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((PrepareTransactionRequest _, string? key, CancellationToken _) => keys.Add(key))
            .ReturnsAsync(Prepared("tx-0001"));
        var asked = calls.Call.Session!;
        await calls.Call.StartAsync("GetDTMF", "1");

        // What the engine answers when the prepare outlives the budget: the input Session, marked as held, one callback on.
        calls.Call.UseSession(asked
            .With(CallEngine.HoldCountKey, "1").With(CallEngine.HeldEventKey, "GetDTMF").With(CallEngine.HeldDataKey, "1")
            with { Steps = asked.Steps + 1 });
        var replayed = await calls.NextAsync();

        Assert.Equal("Play:129", Heard(replayed));
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Repeat_HeldHere_PlatformErrorOnAnotherInstance_OrderWithdrawnHere()
    {
        // The replay after the holding prompt lands on another instance, which hears of a platform error: the caller gets
        // the apology and a person, so the placement still running here must not leave the order standing.
        using var calls = await AtConfirmation();
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        AbortSucceeds(calls);
        using var other = calls.OnAnotherInstance();

        var apology = await other.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        prepare.SetResult(Prepared("tx-0001"));
        await Task.WhenAny(held).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(apology.IsFallback);
        await AssertWithdrawnAsync(calls);
        // The decision comes before the commit is queued, so no commit can reach the ERP ahead of the withdrawal.
        Assert.Empty(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Repeat_HeldPlacementFinishedThenTheHoldingPromptFailed_CallerHearsAcceptedAndTheOrderStands()
    {
        // The order is placed (outbox, commit queued) while "please wait" plays; then the platform reports it could not
        // play it. Too late to withdraw: the caller hears the truth, "accepted", not an apology and a person.
        using var calls = await AtConfirmation();
        AbortSucceeds(calls);
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        prepare.SetResult(Prepared("tx-0001"));
        Assert.Equal("Play:129", Heard(await held.WaitAsync(TimeSpan.FromSeconds(10))));
        calls.Call.Services.GetRequiredService<PendingTurns>().Keep(calls.Call.CallId, calls.Call.Session!.Steps, held);

        var answer = await calls.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.Equal("Play:129", Heard(answer));
        Assert.Contains(answer.Notes, n => n.StartsWith("holding prompt not played (platform error 12)", StringComparison.Ordinal));
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
        calls.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Repeat_HeldHere_HoldsRunOutOnAnotherInstance_OrderWithdrawnHere()
    {
        using var calls = await AtConfirmation();
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        AbortSucceeds(calls);
        using var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        other.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(async (PrepareTransactionRequest _, string? _, CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Prepared("tx-0001");
            });

        // The replay there is slow as well: one more holding prompt, then the apology.
        CallTurn apology = null!;
        for (var i = 0; i < 2; i++)
        {
            var pending = other.NextAsync();
            other.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
            apology = await pending;
        }

        prepare.SetResult(Prepared("tx-0001"));
        await Task.WhenAny(held).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(apology.IsFallback);
        await AssertWithdrawnAsync(calls);
    }

    [Fact]
    public async Task Repeat_HeldHere_OrderLetStandBeforeAnotherInstanceGaveUp_CallerHearsAcceptedThere()
    {
        // The race: the placement here lets the order stand (its commit queued), then the replay elsewhere hears of a
        // platform error. The order stands, so the caller hears "accepted" and its number, not the apology.
        using var calls = await AtConfirmation();
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        prepare.SetResult(Prepared("tx-0001", "ZS/2026/001400"));
        Assert.Equal("Play:129", Heard(await held.WaitAsync(TimeSpan.FromSeconds(10))));
        using var other = calls.OnAnotherInstance();

        var answer = await other.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        var number = await other.NextAsync();

        Assert.False(answer.IsFallback);
        Assert.Equal("Play:129", Heard(answer));
        Assert.Equal("SayDigits:1400", Heard(number));
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
        calls.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        other.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Repeat_HeldHere_OrderLetStandWhileHoldsRanOutOnAnotherInstance_CallerHearsAcceptedThereAndTheOrderStands()
    {
        using var calls = await AtConfirmation();
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        AbortSucceeds(calls);
        using var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        var replayed = new TaskCompletionSource<PreparedTransaction>(TaskCreationOptions.RunContinuationsAsynchronously);
        other.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(replayed.Task);
        other.Erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Aborted });

        // The replay there is slow as well: one more holding prompt; the placement here lets the order stand meanwhile.
        var pending = other.NextAsync();
        other.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);
        prepare.SetResult(Prepared("tx-0001", "ZS/2026/001400"));
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        pending = other.NextAsync();
        other.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var answer = await pending;
        // The replay's own placement of the same basket then finishes: it finds the same decision and leaves the order be.
        replayed.SetResult(Prepared("tx-0001", "ZS/2026/001400"));
        await Task.Delay(100);

        Assert.Equal("Play:129", Heard(answer));
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        calls.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        other.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Repeat_HeldPlacementCutAfterItsOutboxWriteLanded_ItsFailureAnsweredHere_OrderWithdrawnNotCommitted()
    {
        // The outbox write lands but its answer never comes; the work's time limit cuts it. The caller then hears the
        // placement failed (the fallback), so the entry must not be left Prepared for the sweep to commit.
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        var held = await HeldUntilCutAsync(calls, outbox);

        var answer = await calls.NextAsync();

        Assert.True(answer.IsFallback, "the placement failed: the caller hears the fallback");
        await WithdrawnInTheBackgroundAsync(calls);
        Assert.Empty(calls.Queue.On(QueueNames.OrderCommits));
        Assert.True(held.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Repeat_HeldPlacementCutAfterItsOutboxWriteLanded_HoldingPromptFailedHere_OrderWithdrawn()
    {
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        await HeldUntilCutAsync(calls, outbox);

        var answer = await calls.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(answer.IsFallback);
        await WithdrawnInTheBackgroundAsync(calls);
        Assert.Empty(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Repeat_HeldPlacementCutAfterItsOutboxWriteLanded_ReplayedOnAnotherInstance_AcceptedThereAndTheOrderStands()
    {
        // The cut here decides nothing: the replay elsewhere runs the same confirmation (the ERP answers the same
        // transaction), finds the entry and tells the caller it was accepted. Nothing here may withdraw it.
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        AbortSucceeds(calls);
        await HeldUntilCutAsync(calls, outbox);
        using var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        other.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Prepared("tx-0001"));

        var answer = await other.NextAsync();
        await Task.Delay(100);

        Assert.Equal("Play:129", Heard(answer));
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
        calls.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Repeat_PlacementCutByItsTimeLimitInsideItsOwnCallback_FallbackHeard_OrderWithdrawn()
    {
        // A time limit shorter than the callback budget: the cut work is answered at once, never held.
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox, new() { ["Calls:WorkTimeoutMs"] = "500" });
        AbortSucceeds(calls);
        PrepareAnswers(calls);

        var pending = calls.KeysAsync("1");
        await outbox.Landed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        calls.Call.Time.Advance(TimeSpan.FromMilliseconds(600));
        var answer = await pending.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(answer.IsHold);
        Assert.True(answer.IsFallback);
        await WithdrawnInTheBackgroundAsync(calls);
    }

    [Fact]
    public async Task Repeat_HeldPlacementCutHere_LaterReplayHereGivesTheTurnUp_OrderWithdrawn()
    {
        // Held here (its write landed), replayed and held again on another instance; the next callback comes back here,
        // where no work of that callback is found: a new replay, slow as well, and the holds have run out. Giving the turn
        // up here undoes what the first work, cut meanwhile, left behind.
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        var hold = await HeldWhileTheOutboxWriteHangsAsync(calls, outbox);
        using var other = await HeldAgainElsewhereAsync(calls);
        await CutHereAsync(calls, hold);
        Assert.Equal(OutboxStatus.Prepared, (await calls.Outbox.GetAsync("tx-0001"))!.Status);

        PrepareHangs(calls);
        calls.Call.UseSession(other.Call.Session);
        var last = calls.NextAsync();
        calls.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var apology = await last.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(apology.IsFallback);
        await WithdrawnInTheBackgroundAsync(calls);
    }

    [Fact]
    public async Task Repeat_HeldHere_ReplayElsewhereHearsTryLater_TheOrderHereIsWithdrawnWhenItsPrepareAnswers()
    {
        // The ERP was down for the replay there: the caller hears "try later". The slow placement here must not place
        // the order afterwards.
        using var calls = await AtConfirmation();
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        AbortSucceeds(calls);
        using var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        other.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "ERP unavailable", 503));

        var answer = await other.NextAsync();
        prepare.SetResult(Prepared("tx-0001"));
        await Task.WhenAny(held).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.EndsWith("_try_later", answer.Session.Step, StringComparison.Ordinal);
        await AssertWithdrawnAsync(calls);
        Assert.Empty(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Repeat_HeldHereWhileItsOutboxWriteHangs_ReplayElsewhereHearsTryLater_CutLaterAndWithdrawn()
    {
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        var hold = await HeldWhileTheOutboxWriteHangsAsync(calls, outbox);
        using var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        other.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "ERP unavailable", 503));

        var answer = await other.NextAsync();
        await CutHereAsync(calls, hold);

        Assert.EndsWith("_try_later", answer.Session.Step, StringComparison.Ordinal);
        await AssertWithdrawnAsync(calls);
    }

    [Fact]
    public async Task Repeat_HeldHereAndPlaced_ReplayElsewhereThenFails_CallerHearsAcceptedNotTryLater()
    {
        // The placement here let the order stand while the replay there met the ERP down: the order stands, so the
        // caller hears "accepted" and its number.
        using var calls = await AtConfirmation();
        var (prepare, held) = await HeldWhilePreparingAsync(calls);
        prepare.SetResult(Prepared("tx-0001", "ZS/2026/001400"));
        Assert.Equal("Play:129", Heard(await held.WaitAsync(TimeSpan.FromSeconds(10))));
        using var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        other.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "ERP unavailable", 503));

        var answer = await other.NextAsync();
        var number = await other.NextAsync();

        Assert.Equal("Play:129", Heard(answer));
        Assert.Equal("SayDigits:1400", Heard(number));
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
    }

    [Fact]
    public async Task Repeat_AcceptedByAReplayHereAfterAnEarlierWorkWasCut_HoldingPromptFailsWithTheCallStateDown_AcceptedAndTheOrderStands()
    {
        var state = new SwitchableCallState();
        var outbox = new WriteLandsThenHangs();
        using var calls = new OrderCalls(new() { ["Calls:MaxHoldsPerStep"] = "3" }, callState: state, outboxAsSeen: outbox.Over);
        calls.OrdersAre(Last, Cancelled);
        calls.OrderIs(Last);
        await calls.FromMainMenuAsync('2');
        Assert.Equal("GetDTMF:124", Heard((await calls.ListenUntilAskedAsync())[^1]));

        // A: W1 held, its outbox write landed; B: the replay W2 is slow: hold 2; A: W1 is cut, its withdrawal left on A.
        var hold = await HeldWhileTheOutboxWriteHangsAsync(calls, outbox);
        using var other = await HeldAgainElsewhereAsync(calls);
        await CutHereAsync(calls, hold);
        var turns = calls.Call.Services.GetRequiredService<PendingTurns>();

        // A: the next replay W3 (same turn) is slow too: hold 3, then it lets the order stand (row "stands") and finishes "accepted".
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(async (PrepareTransactionRequest _, string? _, CancellationToken ct) =>
            {
                await gate.Task.WaitAsync(ct);
                return Prepared("tx-0001");
            });
        calls.Call.UseSession(other.Call.Session);
        var third = calls.NextAsync();
        calls.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var hold3 = await third.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(hold3.IsHold);
        var w3 = turns.Take(calls.Call.CallId, hold3.Session.Steps)!;
        gate.SetResult();
        await w3.WaitAsync(TimeSpan.FromSeconds(10));
        turns.Keep(calls.Call.CallId, hold3.Session.Steps, w3);
        Assert.Equal(OutboxStatus.Queued, (await calls.Outbox.GetAsync("tx-0001"))!.Status);

        // The holding prompt failed; the call state is slow just now (2010).
        state.Failing = true;
        var answer = await calls.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        await Task.Delay(500);

        Assert.Equal("Play:129", Heard(answer));  // the caller hears "accepted"...
        Assert.NotEqual(OutboxStatus.Aborted, (await calls.Outbox.GetAsync("tx-0001"))!.Status); // ...so the order must not be withdrawn
        calls.Erp.Verify(e => e.AbortTransactionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Repeat_ReplayHereHearsTryLater_HeldWorkHereCutOnlyAfterwards_OrderWithdrawn()
    {
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        var hold = await HeldWhileTheOutboxWriteHangsAsync(calls, outbox);
        using var other = await HeldAgainElsewhereAsync(calls);

        // Back here: the replay's prepare fails at once (ERP busy): the caller hears "try later"; W1 (write landed) is still running.
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "ERP unavailable", 503));
        calls.Call.UseSession(other.Call.Session);
        var tryLater = await calls.NextAsync();
        Assert.Equal("GetDTMF:131", Heard(tryLater)); // "try later" menu
        Assert.False(tryLater.IsFallback);
        Assert.False(tryLater.IsHold);

        // W1 is cut by its time limit only now.
        await CutHereAsync(calls, hold);

        await WithdrawnInTheBackgroundAsync(calls);
    }

    [Fact]
    public async Task Repeat_HeldPlacementCutHere_TurnGivenUpOnAnotherInstance_TheSweepWithdrawsItInsteadOfCommitting()
    {
        // A: confirmation held, its outbox write landed; B: the replay is slow, held again (hold 2); A's work is cut:
        // the withdrawal is left on A.
        var outbox = new WriteLandsThenHangs();
        using var calls = await AtConfirmation(outbox);
        var hold = await HeldWhileTheOutboxWriteHangsAsync(calls, outbox);
        using var other = await HeldAgainElsewhereAsync(calls);
        await CutHereAsync(calls, hold);

        // B: the next callback finds its held work still slow, holds run out: B gives the turn up, the caller hears the apology.
        var last = other.NextAsync();
        other.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var apology = await last.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(apology.IsFallback);
        Assert.Equal(OutboxStatus.Prepared, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        Assert.Equal(hold.Session.Steps, (await calls.Outbox.GetAsync("tx-0001"))!.Turn);

        // Nothing reached this instance; the sweep, which would commit an entry left Prepared, reads the turn's decision.
        calls.Call.Time.Advance(TimeSpan.FromMinutes(1));
        var swept = await calls.Call.Services.GetRequiredService<OutboxSweeper>().SweepAsync();

        Assert.Equal(1, swept.Aborted);
        await AssertWithdrawnAsync(calls);
        Assert.Empty(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Repeat_Declined_MainMenuAndNothingPrepared()
    {
        using var calls = await AtConfirmation();

        var menu = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:2", Heard(menu));
        calls.Erp.Verify(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Repeat_ErpRejectsThePrepare_OrderRejectedAndNothingInTheOutbox()
    {
        using var calls = await AtConfirmation();
        calls.PrepareThrows(ErpErrorKind.Rejected);

        var rejected = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:130", Heard(rejected));
        Assert.Equal("GetDTMF:2", Heard(menu));
        Assert.Empty(await calls.Outbox.ListAsync(Enum.GetValues<OutboxStatus>()));
        Assert.DoesNotContain(calls.Queue.Accepted, m => m.QueueName == QueueNames.OrderCommits);
    }

    [Fact]
    public async Task Repeat_ErpUnavailable_OffersAPersonInsteadOfAccepting()
    {
        using var calls = await AtConfirmation();
        calls.PrepareThrows(ErpErrorKind.Unavailable);

        var offer = await calls.KeysAsync("1");
        var transfer = await calls.KeysAsync("0");

        Assert.Equal("GetDTMF:131", Heard(offer));
        Assert.Equal("CallByObjectLogin:agent_default", Heard(transfer));
        Assert.DoesNotContain(calls.Queue.Accepted, m => m.QueueName == QueueNames.OrderCommits);
    }

    /// <summary>The same confirmation repeated after its order was withdrawn: "accepted" would promise an order nobody commits.</summary>
    [Fact]
    public async Task Repeat_ConfirmationRepeatedAfterTheOrderWasWithdrawn_OffersAPersonInsteadOfAccepting()
    {
        using var calls = await AtConfirmation();
        calls.PrepareReturns(Prepared("tx-0001"));
        var first = await calls.Call.StartAsync("GetDTMF", "1");
        var entry = (await calls.Outbox.GetAsync("tx-0001"))!;
        await OutboxChanges.ApplyAsync(calls.Outbox, entry, OutboxChanges.Closed(OutboxStatus.Aborted, entry.PreparedAt, "withdrawn"), CancellationToken.None);

        var repeat = await calls.Call.StartAsync("GetDTMF", "1");

        Assert.Equal("Play:129", Heard(first));
        Assert.Equal("GetDTMF:131", Heard(repeat));
        Assert.Single(calls.Queue.On(QueueNames.OrderCommits));
    }

    [Fact]
    public async Task Repeat_QueueUnreachable_CallerStillHearsAcceptedAndTheEntryWaitsForTheSweep()
    {
        using var calls = await AtConfirmation();
        calls.PrepareReturns(Prepared("tx-0001"));
        calls.Queue.FailSends = int.MaxValue;

        var accepted = await calls.KeysAsync("1");

        Assert.Equal("Play:129", Heard(accepted));
        var entry = await calls.Outbox.GetAsync("tx-0001");
        Assert.NotNull(entry);
        Assert.Equal(OutboxStatus.Prepared, entry.Status);
        Assert.Equal(1, entry.SendAttempts);
        Assert.Contains("queue unreachable", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeat_GuestWithoutContact_MainMenu()
    {
        using var calls = new OrderCalls();
        calls.Call.UseSession(new CallSession { Step = "menu", Steps = 2 });

        var menu = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:2", Heard(menu));
        calls.Erp.Verify(e => e.GetOrdersAsync(It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>?>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>
    /// The caller confirmed, the ERP's prepare outlived the budget and the caller heard the holding prompt; the prepare
    /// answers when the test sets the returned source. The held placement is returned to wait for.
    /// </summary>
    private static void AbortSucceeds(OrderCalls calls) =>
        calls.Erp.Setup(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-0001", Status = TransactionStatuses.Aborted });

    /// <summary>The order is withdrawn: closed as Aborted in the outbox, its ERP transaction aborted once.</summary>
    private static async Task AssertWithdrawnAsync(OrderCalls calls)
    {
        Assert.Equal(OutboxStatus.Aborted, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        calls.Erp.Verify(e => e.AbortTransactionAsync("tx-0001", It.IsAny<CancellationToken>()), Times.Once);
    }

    private static async Task<(TaskCompletionSource<PreparedTransaction> Prepare, Task<CallTurn> Held)> HeldWhilePreparingAsync(OrderCalls calls)
    {
        var prepare = new TaskCompletionSource<PreparedTransaction>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(prepare.Task);
        return (prepare, await calls.HeldOnKeysAsync("1"));
    }

    /// <summary>
    /// The caller confirmed; the prepare answers at once, the outbox write lands but hangs until the work's time limit
    /// (10 s after the holding prompt) cuts it. The held placement has finished (failed) when this returns, and is kept
    /// for the next callback here.
    /// </summary>
    private static async Task<Task<CallTurn>> HeldUntilCutAsync(OrderCalls calls, WriteLandsThenHangs outbox)
    {
        var hold = await HeldWhileTheOutboxWriteHangsAsync(calls, outbox);
        Assert.Equal(OutboxStatus.Prepared, (await calls.Outbox.GetAsync("tx-0001"))!.Status);
        return await CutHereAsync(calls, hold, keep: true);
    }

    /// <summary>The caller confirmed; the prepare answers at once, the outbox write lands but its answer hangs: held.</summary>
    private static async Task<CallTurn> HeldWhileTheOutboxWriteHangsAsync(OrderCalls calls, WriteLandsThenHangs outbox)
    {
        AbortSucceeds(calls);
        PrepareAnswers(calls);
        var pending = calls.KeysAsync("1");
        await outbox.Landed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        calls.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var hold = await pending;
        Assert.True(hold.IsHold);
        return hold;
    }

    /// <summary>
    /// The held work here is cut by its time limit (10 s) and has finished when this returns; kept for the next callback
    /// here when <paramref name="keep"/>, as the engine keeps it.
    /// </summary>
    private static async Task<Task<CallTurn>> CutHereAsync(OrderCalls calls, CallTurn hold, bool keep = false)
    {
        var turns = calls.Call.Services.GetRequiredService<PendingTurns>();
        var held = turns.Take(calls.Call.CallId, hold.Session.Steps)!;
        calls.Call.Time.Advance(TimeSpan.FromSeconds(10));
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        if (keep) turns.Keep(calls.Call.CallId, hold.Session.Steps, held);
        return held;
    }

    /// <summary>The replay lands on another instance, where the ERP's prepare hangs as well: held again there.</summary>
    private static async Task<OrderCalls> HeldAgainElsewhereAsync(OrderCalls calls)
    {
        var other = calls.OnAnotherInstance();
        other.OrderIs(Last);
        PrepareHangs(other);
        var replay = other.NextAsync();
        other.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await replay.WaitAsync(TimeSpan.FromSeconds(10))).IsHold);
        return other;
    }

    private static void PrepareAnswers(OrderCalls calls) =>
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Prepared("tx-0001"));

    /// <summary>The ERP takes the prepare and never answers, until the work is cut.</summary>
    private static void PrepareHangs(OrderCalls calls) =>
        calls.Erp.Setup(e => e.PrepareTransactionAsync(It.IsAny<PrepareTransactionRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Returns(async (PrepareTransactionRequest _, string? _, CancellationToken ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Prepared("tx-0001");
            });

    /// <summary>The withdrawal runs beside the answer: closed as Aborted in the outbox, the ERP transaction aborted once.</summary>
    private static async Task WithdrawnInTheBackgroundAsync(OrderCalls calls)
    {
        for (var i = 0; i < 200 && (await calls.Outbox.GetAsync("tx-0001"))!.Status != OutboxStatus.Aborted; i++) await Task.Delay(25);
        for (var i = 0; i < 200 && calls.Erp.Invocations.All(c => c.Method.Name != nameof(ErpClient.AbortTransactionAsync)); i++) await Task.Delay(25);
        await AssertWithdrawnAsync(calls);
    }

    /// <summary>The real in-memory call state, answering 503 while <see cref="Failing"/> (storage down).</summary>
    private sealed class SwitchableCallState : ICallStateStore
    {
        private readonly FunctionsIvr.State.InMemory.InMemoryCallStateStore _inner = new(TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new FunctionsIvr.State.InMemory.InMemoryStateOptions()));

        public volatile bool Failing;

        public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default) =>
            Failing ? throw new Azure.RequestFailedException(503, "down") : _inner.GetAsync(callId, cancellationToken);

        public Task<Azure.ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default) =>
            Failing ? throw new Azure.RequestFailedException(503, "down") : _inner.SaveAsync(state, cancellationToken);
    }

    /// <summary>The first add is applied, then its answer never comes until it is cut; every other call goes straight through.</summary>
    private sealed class WriteLandsThenHangs : OutboxStoreDecorator
    {
        private int _adds;

        public TaskCompletionSource Landed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IOutboxStore Over(IOutboxStore inner)
        {
            Inner = inner;
            return this;
        }

        public override async Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
        {
            await Inner.AddAsync(entry, cancellationToken);
            if (Interlocked.Increment(ref _adds) > 1) return;
            Landed.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private static async Task<OrderCalls> AtConfirmation(WriteLandsThenHangs? outbox = null, Dictionary<string, string?>? settings = null)
    {
        var calls = new OrderCalls(settings, outboxAsSeen: outbox is null ? null : outbox.Over);
        calls.OrdersAre(Last, Cancelled);
        calls.OrderIs(Last);
        await calls.FromMainMenuAsync('2');
        var asked = await calls.ListenUntilAskedAsync();
        Assert.Equal("GetDTMF:124", Heard(asked[^1]));
        return calls;
    }
}
