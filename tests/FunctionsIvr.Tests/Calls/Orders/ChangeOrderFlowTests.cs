using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.Ivr;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;
using static FunctionsIvr.Tests.Calls.Orders.OrderCalls;

namespace FunctionsIvr.Tests.Calls.Orders;

public class ChangeOrderFlowTests
{
    private static readonly DateOnly Delivery = new(2026, 11, 5);

    private static readonly Order Newer = Order("o-2", "ZS/2026/001234", OrderStatuses.Confirmed, daysAgo: 1, Delivery,
        Line("CEM-325-25", 10, 21.90m));

    private static readonly Order Older = Order("o-1", "ZS/2026/001111", OrderStatuses.Confirmed, daysAgo: 9, delivery: null,
        Line("CEM-325-25", 10, 21.90m), Line("PUST-CER-25", 200, 9.85m));

    private static readonly ErpException NotChangeable = new(ErpErrorKind.Rejected, "The order can no longer be changed.", 409,
        new ErpProblem { Type = ErpProblemTypes.OrderNotChangeable, Status = 409 });

    [Fact]
    public async Task ChangeOrder_SeveralOrders_ReadsEachWithItsPositionThenAsksWhich()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Older, Newer);

        var first = await calls.FromMainMenuAsync('4');
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(
            ["Play:110", "SayNumber:1", "Play:101", "SayDigits:1234", "Play:102", "Play:106", "SayDate:2026-11-05",
             "Play:110", "SayNumber:2", "Play:101", "SayDigits:1111", "Play:102", "Play:107", "GetDTMF:111"],
            Heard([first, .. rest]));
    }

    [Fact]
    public async Task ChangeOrder_ChooseTwo_ChangeMenuForTheSecondOrderHeard()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Older, Newer);
        calls.OrderIs(Older);
        await calls.FromMainMenuAsync('4');
        await calls.ListenUntilAskedAsync();

        var menu = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:113", Heard(menu));
        calls.Erp.Verify(e => e.GetOrderAsync("o-1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task ChangeOrder_ChoiceNotInTheList_AsksAgain()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Older, Newer);
        await calls.FromMainMenuAsync('4');
        await calls.ListenUntilAskedAsync();

        var again = await calls.KeysAsync("3");

        Assert.Equal("GetDTMF:111", Heard(again));
        Assert.Equal(1, again.Session.Tries);
    }

    [Fact]
    public async Task ChangeOrder_OneOrder_StraightToTheChangeMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre(Newer);
        calls.OrderIs(Newer);

        var menu = await calls.FromMainMenuAsync('4');

        Assert.Equal("GetDTMF:113", Heard(menu));
    }

    [Fact]
    public async Task ChangeOrder_NoActiveOrders_SaysSoThenMainMenu()
    {
        using var calls = new OrderCalls();
        calls.OrdersAre();

        var none = await calls.FromMainMenuAsync('4');
        var menu = await calls.NextAsync();

        Assert.Equal("Play:100", Heard(none));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Theory]
    [InlineData(OrderStatuses.InPreparation)]
    [InlineData(OrderStatuses.Shipped)]
    public async Task ChangeOrder_OrderPastConfirmed_CannotBeChangedThenMainMenu(string status)
    {
        using var calls = new OrderCalls();
        var pastConfirmed = Newer with { Status = status };
        calls.OrdersAre(pastConfirmed);
        calls.OrderIs(pastConfirmed);

        var refused = await calls.FromMainMenuAsync('4');
        var menu = await calls.NextAsync();

        Assert.Equal("Play:112", Heard(refused));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task ChangeOrder_InPreparationChosenFromTheList_CannotBeChangedThenMainMenu()
    {
        using var calls = new OrderCalls();
        var inPreparation = Older with { Status = OrderStatuses.InPreparation };
        calls.OrdersAre(inPreparation, Newer);
        calls.OrderIs(inPreparation);
        await calls.FromMainMenuAsync('4');
        await calls.ListenUntilAskedAsync();

        var refused = await calls.KeysAsync("2");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:112", Heard(refused));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task ChangeOrder_CancelConfirmedWithOne_CancelsAndSaysCancelled()
    {
        using var calls = await AtChangeMenu(Newer);
        calls.Erp.Setup(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Newer with { Status = OrderStatuses.Cancelled });

        var confirm = await calls.KeysAsync("1");
        var cancelled = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("GetDTMF:114", Heard(confirm));
        Assert.Equal("Play:115", Heard(cancelled));
        Assert.Equal("GetDTMF:2", Heard(menu));
        calls.Erp.Verify(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(ErpErrorKind.Timeout)]
    [InlineData(ErpErrorKind.Unavailable)]
    public async Task ChangeOrder_CancelSentWithoutAUsableAnswer_ApologyAndTheOrderToCheckLogged(ErpErrorKind kind)
    {
        // The ERP may have cancelled the order all the same: the person on call must learn which order to check.
        using var calls = await AtChangeMenu(Newer);
        var logs = CaptureLogs(calls);

        var answer = await CancelConfirmedAsync(calls, new ErpException(kind, "no answer"));

        Assert.True(answer.IsFallback);
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 2602);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal(Redact.Id("o-2"), line.Find("OrderId"));
        Assert.Equal("cancel", line.Find("What"));
        Assert.Equal(kind.ToString(), line.Find("ErpError"));
        Assert.Equal(calls.Call.CallId, line.Find("CallId"));
    }

    [Fact]
    public async Task ChangeOrder_ChangeSentWithoutAnAnswerInTime_ApologyAndTheOrderToCheckLogged()
    {
        using var calls = await AtChangeMenu(Older);
        var logs = CaptureLogs(calls);
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-1", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Timeout, "no answer within 3000 ms"));
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("2");
        await calls.KeysAsync("150#");
        await calls.ListenUntilAskedAsync();

        var answer = await calls.KeysAsync("1");

        Assert.True(answer.IsFallback);
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 2602);
        Assert.Equal(Redact.Id("o-1"), line.Find("OrderId"));
        Assert.Equal("change", line.Find("What"));
    }

    [Fact]
    public async Task ChangeOrder_HeldCancelCutOffByTheGiveUpHere_TheOrderToCheckLogged()
    {
        // The holding prompt failed: this instance gives up on the turn and cuts the cancel off on its way, as the ERP
        // client reports it. Whether the ERP took it is unknown.
        using var calls = await AtChangeMenu(Newer);
        var logs = CaptureLogs(calls);
        calls.Erp.Setup(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>()))
            .Returns(async (string _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token).ContinueWith(_ => { }, TaskScheduler.Default);
                throw new ErpException(ErpErrorKind.Timeout, "ERP PATCH /orders/{id} cut off by the caller's deadline.");
            });
        Assert.Equal("GetDTMF:114", Heard(await calls.KeysAsync("1")));
        var pending = calls.KeysAsync("1");
        calls.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.True((await pending).IsHold);

        var apology = await calls.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.True(apology.IsFallback);
        // The cut-off work ends in the background, after the answer.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!logs.Lines.Any(l => l.EventId.Id == 2602) && waited.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        var line = Assert.Single(logs.Lines, l => l.EventId.Id == 2602);
        Assert.Equal("cancel", line.Find("What"));
    }

    [Theory]
    [InlineData(ErpErrorKind.CircuitOpen)]
    [InlineData(ErpErrorKind.Unauthorized)]
    public async Task ChangeOrder_CancelNotTaken_NoOrderToCheck(ErpErrorKind kind)
    {
        // Nothing reached the ERP, or it refused us: nothing to check.
        using var calls = await AtChangeMenu(Newer);
        var logs = CaptureLogs(calls);

        var answer = await CancelConfirmedAsync(calls, new ErpException(kind, "not sent"));

        Assert.True(answer.IsFallback);
        Assert.DoesNotContain(logs.Lines, l => l.EventId.Id == 2602);
    }

    [Fact]
    public async Task ChangeOrder_HeldCancelDoneBeforeAnotherInstanceGaveUp_CallerHearsCancelledNotTheApology()
    {
        // The cancel cannot be taken back once the ERP took it: an instance that gives up on the held turn afterwards
        // (the platform could not play the holding prompt) must say it was cancelled, not apologise for it.
        using var calls = await AtChangeMenu(Newer);
        var (cancel, held) = await HeldWhileCancellingAsync(calls);
        cancel.SetResult(Newer with { Status = OrderStatuses.Cancelled });
        Assert.Equal("Play:115", Heard(await held.WaitAsync(TimeSpan.FromSeconds(10))));
        using var other = calls.OnAnotherInstance();

        var answer = await other.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        Assert.False(answer.IsFallback, "the order was cancelled: the caller must hear so");
        Assert.Equal("Play:115", Heard(answer));
    }

    [Fact]
    public async Task ChangeOrder_HeldCancelDoneAfterTheTurnWasGivenUp_NotedForACallBack()
    {
        using var calls = await AtChangeMenu(Newer);
        var (cancel, held) = await HeldWhileCancellingAsync(calls);
        using var other = calls.OnAnotherInstance();
        var apology = await other.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));

        cancel.SetResult(Newer with { Status = OrderStatuses.Cancelled });
        var late = await held.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(apology.IsFallback);
        Assert.Contains(late.Notes, n => n.StartsWith("order cancelled in the ERP after the turn was given up on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChangeOrder_HeldInItsFreshReadOfTheOrder_TurnGivenUpElsewhere_ChangeNotSent()
    {
        using var calls = await AtChangeMenu(Older);
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-1", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Older);
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("2");
        await calls.KeysAsync("150#");
        await calls.NextAsync();
        await calls.NextAsync();

        // The change's fresh read of the order (before the write) is slow: held.
        var read = new TaskCompletionSource<Order>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Erp.Setup(e => e.GetOrderAsync("o-1", It.IsAny<CancellationToken>())).Returns(read.Task);
        var pending = calls.KeysAsync("1");
        calls.Call.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var hold = await pending;
        Assert.True(hold.IsHold);
        var held = calls.Call.Services.GetRequiredService<PendingTurns>().Take(calls.Call.CallId, hold.Session.Steps)!;

        // Another instance gives the turn up (prompt failed): the caller hears the apology, the row says "abandoned".
        using var other = calls.OnAnotherInstance();
        var apology = await other.Call.SendAsync("Play", error: new IvrError("12", "prompt not found"));
        Assert.True(apology.IsFallback);

        // Only now does the read answer: nothing was written yet, and the turn is known to be given up on.
        read.SetResult(Older);
        await held.WaitAsync(TimeSpan.FromSeconds(10));

        calls.Erp.Verify(e => e.UpdateOrderAsync(It.IsAny<string>(), It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ChangeOrder_CancelNotConfirmed_BackToTheChangeMenuAndNothingCancelled()
    {
        using var calls = await AtChangeMenu(Newer);
        await calls.KeysAsync("1");

        var menu = await calls.KeysAsync("2");

        Assert.Equal("GetDTMF:113", Heard(menu));
        calls.Erp.Verify(e => e.CancelOrderAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ChangeOrder_CancelRejectedByErp_SaysRejectedThenTheChangeMenu()
    {
        using var calls = await AtChangeMenu(Newer);
        calls.Erp.Setup(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.NotFound, "no such order", 404,
                new ErpProblem { Type = ErpProblemTypes.NotFound, Status = 404 }));
        await calls.KeysAsync("1");

        var rejected = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:120", Heard(rejected));
        Assert.Equal("GetDTMF:113", Heard(menu));
    }

    [Fact]
    public async Task ChangeOrder_CancelAnsweredNotChangeable_CannotBeChangedThenMainMenu()
    {
        using var calls = await AtChangeMenu(Newer);
        calls.Erp.Setup(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>())).ThrowsAsync(NotChangeable);
        await calls.KeysAsync("1");

        var refused = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:112", Heard(refused));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Fact]
    public async Task ChangeOrder_ChangeKey_ReadsEachLineThenAsksWhichLine()
    {
        using var calls = await AtChangeMenu(Older);

        var first = await calls.KeysAsync("2");
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(
            ["Play:116", "SayNumber:1", "SayDigits:32525", "SayNumber:10", "Play:116", "SayNumber:2", "SayDigits:25", "SayNumber:200", "GetDTMF:117"],
            Heard([first, .. rest]));
    }

    [Fact]
    public async Task ChangeOrder_SixtyLines_FirstFifteenReadThenAskedWhichAndAChangeSendsAllSixty()
    {
        var lines = Enumerable.Range(1, 60).Select(i => Line($"PROD-{i:000}", 10, 5m)).ToArray();
        var big = Order("o-9", "ZS/2026/009999", OrderStatuses.Confirmed, daysAgo: 1, Delivery, lines);
        using var calls = await AtChangeMenu(big);
        UpdateOrderRequest? sent = null;
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-9", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, UpdateOrderRequest update, string? _, CancellationToken _) => sent = update)
            .ReturnsAsync(big);

        var first = await calls.KeysAsync("2");
        var heard = Heard([first, .. await calls.ListenUntilAskedAsync(max: 100)]);
        await calls.KeysAsync("15");
        await calls.KeysAsync("7#");
        await calls.ListenUntilAskedAsync();
        var changed = await calls.KeysAsync("1");

        // 15 lines of four parts each, then "which line?" (two digits): not the apology at the step limit.
        Assert.Equal(61, heard.Length);
        Assert.Equal(["Play:116", "SayNumber:15", "SayDigits:015", "SayNumber:10", "GetDTMF:117"], heard[^5..]);
        Assert.Contains(first.Notes, n => n == "order has 60 lines: the first 15 are read");
        Assert.Equal("Play:119", Heard(changed));
        Assert.NotNull(sent);
        Assert.Equal(60, sent.Lines?.Count);
        Assert.Equal(new OrderLineRequest("PROD-015", 7), sent.Lines?[14]);
    }

    [Fact]
    public async Task ChangeOrder_LineQuantityNotWhole_LeftOutNotSaidAsARoundedNumber()
    {
        var order = Order("o-7", "ZS/2026/007777", OrderStatuses.Confirmed, daysAgo: 1, Delivery,
            Line("STYRO-EPS-100", 0.4m, 289m), Line("CEM-325-25", 10.000m, 21.90m));
        using var calls = await AtChangeMenu(order);

        var first = await calls.KeysAsync("2");
        var rest = await calls.ListenUntilAskedAsync();

        Assert.Equal(
            ["Play:116", "SayNumber:1", "SayDigits:100", "Play:116", "SayNumber:2", "SayDigits:32525", "SayNumber:10", "GetDTMF:117"],
            Heard([first, .. rest]));
        Assert.Contains(first.Notes, n => n == "line 1: quantity 0.4 not said (not a whole number)");
    }

    [Fact]
    public async Task ChangeOrder_NewQuantityConfirmed_SendsAllLinesWithTheChangedOne()
    {
        using var calls = await AtChangeMenu(Older);
        UpdateOrderRequest? sent = null;
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-1", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, UpdateOrderRequest update, string? _, CancellationToken _) => sent = update)
            .ReturnsAsync(Older);
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();

        var quantity = await calls.KeysAsync("2");
        var intro = await calls.KeysAsync("150#");
        var said = await calls.NextAsync();
        var confirm = await calls.NextAsync();
        var changed = await calls.KeysAsync("1");

        Assert.Equal(["GetDTMF:125", "Play:118", "SayNumber:150", "GetDTMF:128", "Play:119"], Heard([quantity, intro, said, confirm, changed]));
        Assert.NotNull(sent);
        Assert.Equal([new OrderLineRequest("CEM-325-25", 10), new OrderLineRequest("PUST-CER-25", 150)], sent.Lines);
        Assert.Null(sent.Status);
    }

    [Fact]
    public async Task ChangeOrder_SameConfirmationTwice_SameIdempotencyKey()
    {
        using var calls = await AtChangeMenu(Older);
        var keys = new List<string?>();
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-1", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, UpdateOrderRequest _, string? key, CancellationToken _) => keys.Add(key))
            .ReturnsAsync(Older);
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("1");
        await calls.KeysAsync("12#");
        await calls.ListenUntilAskedAsync();

        var first = await calls.Call.StartAsync("GetDTMF", "1");
        var repeat = await calls.Call.StartAsync("GetDTMF", "1");

        Assert.Equal(2, keys.Count);
        Assert.NotNull(keys[0]);
        Assert.StartsWith(calls.Call.CallId + ":", keys[0], StringComparison.Ordinal);
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(Heard(first), Heard(repeat));
    }

    [Fact]
    public async Task ChangeOrder_ChangeRejectedByErp_SaysChangeRejectedThenTheChangeMenu()
    {
        using var calls = await AtChangeMenu(Older);
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-1", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Rejected, "insufficient stock", 409,
                new ErpProblem { Type = ErpProblemTypes.InsufficientStock, Status = 409 }));
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("2");
        await calls.KeysAsync("9000#");
        await calls.ListenUntilAskedAsync();

        var rejected = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:120", Heard(rejected));
        Assert.Equal("GetDTMF:113", Heard(menu));
    }

    [Fact]
    public async Task ChangeOrder_ChangeAnsweredNotChangeable_CannotBeChangedThenMainMenu()
    {
        using var calls = await AtChangeMenu(Older);
        calls.Erp.Setup(e => e.UpdateOrderAsync("o-1", It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(NotChangeable);
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("2");
        await calls.KeysAsync("150#");
        await calls.ListenUntilAskedAsync();

        var refused = await calls.KeysAsync("1");
        var menu = await calls.NextAsync();

        Assert.Equal("Play:112", Heard(refused));
        Assert.Equal("GetDTMF:2", Heard(menu));
    }

    [Theory]
    [InlineData("0#")]
    [InlineData("20000#")]
    public async Task ChangeOrder_QuantityOutOfRange_QuantityInvalidThenAskedAgain(string keys)
    {
        using var calls = await AtChangeMenu(Older);
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("1");

        var invalid = await calls.KeysAsync(keys);
        var again = await calls.NextAsync();

        Assert.Equal("Play:126", Heard(invalid));
        Assert.Equal("GetDTMF:125", Heard(again));
        calls.Erp.Verify(e => e.UpdateOrderAsync(It.IsAny<string>(), It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ChangeOrder_OrderShippedWhileChoosing_CannotChangeInsteadOfUpdate()
    {
        using var calls = await AtChangeMenu(Older);
        await calls.KeysAsync("2");
        await calls.ListenUntilAskedAsync();
        await calls.KeysAsync("1");
        await calls.KeysAsync("12#");
        await calls.ListenUntilAskedAsync();
        calls.OrderIs(Older with { Status = OrderStatuses.Shipped });

        var refused = await calls.KeysAsync("1");

        Assert.Equal("Play:112", Heard(refused));
        calls.Erp.Verify(e => e.UpdateOrderAsync(It.IsAny<string>(), It.IsAny<UpdateOrderRequest>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>From the change menu: cancel, confirmed, and the ERP fails the cancel with <paramref name="failure"/>.</summary>
    private static async Task<CallTurn> CancelConfirmedAsync(OrderCalls calls, ErpException failure)
    {
        calls.Erp.Setup(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        Assert.Equal("GetDTMF:114", Heard(await calls.KeysAsync("1")));
        return await calls.KeysAsync("1");
    }

    private static CapturingLoggerProvider CaptureLogs(OrderCalls calls)
    {
        var logs = new CapturingLoggerProvider();
        calls.Call.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        return logs;
    }

    /// <summary>The caller confirmed the cancel, the ERP outlived the budget: held; the ERP answers when the test sets the source.</summary>
    private static async Task<(TaskCompletionSource<Order> Cancel, Task<CallTurn> Held)> HeldWhileCancellingAsync(OrderCalls calls)
    {
        var cancel = new TaskCompletionSource<Order>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.Erp.Setup(e => e.CancelOrderAsync("o-2", It.IsAny<CancellationToken>())).Returns(cancel.Task);
        Assert.Equal("GetDTMF:114", Heard(await calls.KeysAsync("1")));
        return (cancel, await calls.HeldOnKeysAsync("1"));
    }

    private static async Task<OrderCalls> AtChangeMenu(Order order)
    {
        var calls = new OrderCalls();
        calls.OrdersAre(order);
        calls.OrderIs(order);
        var menu = await calls.FromMainMenuAsync('4');
        Assert.Equal("GetDTMF:113", Heard(menu));
        return calls;
    }
}
