using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// Change or cancel an order (main menu 4, or key 2 while hearing an order's status). With several active orders the
/// caller hears them ("option 1: order number …, status, delivery") and presses its number. Only confirmed orders can be
/// changed: one in preparation or shipped is refused ("can no longer be changed", the main menu). Then: 1 cancel
/// (confirmed with 1), 2 change a line's quantity (the first <see cref="MaxLinesRead"/> lines are read: position,
/// product code digits, quantity, the quantity left out when it is not a whole number; the caller picks one, enters the
/// new quantity and confirms; all lines are sent), 9 the main menu. The ERP answering
/// <c>order-not-changeable</c> is refused the same way; any other ERP refusal is said and the caller is back in the
/// change menu.
/// </summary>
public sealed partial class ChangeOrderFlow(IOptions<OrdersOptions> options) : IFlowModule
{
    /// <summary>Entered with <see cref="OrderKeys.OrderId"/> set: checks the order can be changed, then the change menu.</summary>
    public const string ChosenOrder = "change_order_check";

    private const string None = "change_order_none";
    private const string Option = "change_order_option";
    private const string Position = "change_order_position";
    private const string ListReadOut = "change_order_list";
    private const string Listed = "change_order_listed";
    private const string Choose = "change_order_choose";
    private const string Locked = "change_order_locked";
    private const string Menu = "change_order_menu";
    private const string CancelAsk = "change_order_cancel_ask";
    private const string Cancel = "change_order_cancel";
    private const string Cancelled = "change_order_cancelled";
    private const string Rejected = "change_order_rejected";
    private const string Lines = "change_order_lines";
    private const string Line = "change_order_line";
    private const string LinePosition = "change_order_line_position";
    private const string LineCode = "change_order_line_code";
    private const string LineAmount = "change_order_line_amount";
    private const string LineNext = "change_order_line_next";
    private const string LineChoose = "change_order_line_choose";
    private const string NewQuantity = "change_order_new";
    private const string Update = "change_order_update";
    private const string Changed = "change_order_changed";

    private const string LinesStateKey = "lines";

    /// <summary>
    /// Lines read out before the caller picks one: each is four callbacks, so every line of a large order would run
    /// into <c>Calls:MaxStepsPerCall</c> before the question, and nobody follows sixty lines by ear. The lines after
    /// these are changed by a person (0 in the main menu).
    /// </summary>
    public const int MaxLinesRead = 15;

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(
            OrderPrompts.NoActiveOrders, OrderPrompts.Option, OrderPrompts.ChooseOrder, OrderPrompts.CannotChange, OrderPrompts.CancelConfirm,
            OrderPrompts.Cancelled, OrderPrompts.Line, OrderPrompts.ChooseLine, OrderPrompts.Changed, OrderPrompts.ChangeRejected);

        // ---- which order ----

        flow.Step(Steps.ChangeOrder)
            .Enter(async ctx =>
            {
                if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.MainMenu);
                var orders = await ActiveOrders.FetchAsync(ctx, contactId);
                if (orders.Count == 0) return CallContext.Goto(None);
                ActiveOrders.Select(ctx, orders[0], 0, orders.Count);
                return CallContext.Goto(orders.Count == 1 ? ChosenOrder : Option);
            })
            .Then(Steps.MainMenu);

        flow.Step(None)
            .Enter(ctx => ctx.Play(OrderPrompts.NoActiveOrders))
            .Then(Steps.MainMenu);

        flow.Step(Option)
            .Enter(ctx => ctx.Play(OrderPrompts.Option))
            .Then(Position);

        flow.Step(Position)
            .Enter(ctx => ctx.SayNumber(ActiveOrders.Index(ctx) + 1))
            .Then(OrderReadout.Start(ListReadOut));

        OrderReadout.Define(flow, ListReadOut, then: Listed);

        flow.Step(Listed)
            .Enter(async ctx =>
            {
                var index = ActiveOrders.Index(ctx) + 1;
                if (index >= ActiveOrders.Count(ctx) || await ActiveOrders.AtAsync(ctx, index) is not { } order) return CallContext.Goto(Choose);
                ActiveOrders.Select(ctx, order, index, ActiveOrders.Count(ctx));
                return CallContext.Goto(Option);
            })
            .Then(Choose);

        flow.Step(Choose)
            .Enter(ctx => ctx.Ask(OrderPrompts.ChooseOrder, maxDigits: 1))
            .Resume(async ctx =>
            {
                var count = ActiveOrders.Count(ctx);
                if (QuantitySteps.Parse(ctx.Digits ?? "") is not { } choice || choice < 1 || choice > count)
                    return CallContext.Retry(ctx.Digits is null ? "no order chosen" : "not an order number");
                if (await ActiveOrders.AtAsync(ctx, choice - 1) is not { } order) return CallContext.Retry("order list lost");
                ActiveOrders.Select(ctx, order, choice - 1, count);
                return CallContext.Goto(ChosenOrder);
            })
            .MaxTries(3, thenGoTo: Steps.MainMenu);

        flow.Step(ChosenOrder)
            .Enter(async ctx => await ChangeableOrderAsync(ctx) is null ? CallContext.Goto(Locked) : CallContext.Goto(Menu))
            .Then(Menu);

        flow.Step(Locked)
            .Enter(ctx => ctx.Play(OrderPrompts.CannotChange))
            .Then(Steps.MainMenu);

        // ---- what to do with it ----

        flow.Menu(Menu, OrderPrompts.ChangeMenu, Prompts.MenuRetry)
            .On('1', CancelAsk)
            .On('2', Lines)
            .On('9', Steps.MainMenu)
            .MaxTries(3, thenGoTo: Steps.MainMenu);

        flow.Step(Rejected)
            .Enter(ctx => ctx.Play(OrderPrompts.ChangeRejected))
            .Then(Menu);

        flow.Step(CancelAsk)
            .Enter(ctx => ctx.Ask(OrderPrompts.CancelConfirm, maxDigits: 1))
            .Resume(ctx => CallContext.Goto(ctx.Digits == "1" ? Cancel : Menu));

        flow.Step(Cancel)
            .Enter(async ctx =>
            {
                if (await GivenUpBeforeTheWriteAsync(ctx, "cancel")) return CallContext.Goto(Menu);
                try
                {
                    // Cancelling a cancelled order succeeds, so a repeated callback is harmless.
                    await ctx.Service<ErpClient>().CancelOrderAsync(ctx.Get(OrderKeys.OrderId) ?? "", ctx.CancellationToken);
                }
                catch (ErpException e) when (e.Kind is ErpErrorKind.Rejected or ErpErrorKind.NotFound)
                {
                    ctx.Note($"cancel refused by the ERP: {e.Problem?.Type ?? e.Kind.ToString()}");
                    return CallContext.Goto(RefusalStep(e));
                }
                catch (ErpException e) when (MayHaveLanded(e))
                {
                    OutcomeUnknown(ctx, "cancel", e);
                    throw;
                }

                return await DoneAsync(ctx, Cancelled, "cancelled");
            })
            .Then(Menu);

        flow.Step(Cancelled)
            .Enter(ctx => ctx.Play(OrderPrompts.Cancelled))
            .Then(Steps.MainMenu);

        // ---- change a line's quantity ----

        flow.Step(Lines)
            .Enter(async ctx =>
            {
                if (await ChangeableOrderAsync(ctx) is not { } order) return CallContext.Goto(Locked);
                if (order.Lines.Count == 0) return CallContext.Goto(Rejected);
                var lines = order.Lines.Take(MaxLinesRead).Select(l => new OrderLineSummary(l.ProductCode, l.Quantity)).ToList();
                if (order.Lines.Count > MaxLinesRead) ctx.Note($"order has {order.Lines.Count} lines: the first {MaxLinesRead} are read");
                if (lines.Count > 1) await CallStateLists.SaveAsync(ctx, LinesStateKey, lines);
                SessionNumbers.Set(ctx, OrderKeys.LineCount, lines.Count);
                SelectLine(ctx, lines[0], 0);
                return CallContext.Goto(Line);
            })
            .Then(Menu);

        flow.Step(Line)
            .Enter(ctx => ctx.Play(OrderPrompts.Line))
            .Then(LinePosition);

        flow.Step(LinePosition)
            .Enter(ctx => ctx.SayNumber(LineIndex(ctx) + 1))
            .Then(LineCode);

        flow.Step(LineCode)
            .Enter(ctx => ctx.Get(OrderKeys.LineCodeDigits) is { Length: > 0 } digits ? ctx.SayDigits(digits) : CallContext.Goto(LineAmount))
            .Then(LineAmount);

        flow.Step(LineAmount)
            .Enter(ctx => SessionNumbers.Long(ctx, OrderKeys.LineQuantity) is { } quantity ? ctx.SayNumber(quantity) : CallContext.Goto(LineNext))
            .Then(LineNext);

        flow.Step(LineNext)
            .Enter(async ctx =>
            {
                var count = LineCount(ctx);
                if (count == 1) return QuantitySteps.Start(ctx, NewQuantity);
                var index = LineIndex(ctx) + 1;
                if (index >= count || await LineAtAsync(ctx, index) is not { } line) return CallContext.Goto(LineChoose);
                SelectLine(ctx, line, index);
                return CallContext.Goto(Line);
            })
            .Then(Menu);

        flow.Step(LineChoose)
            .Enter(ctx => ctx.Ask(OrderPrompts.ChooseLine, maxDigits: LineCount(ctx) > 9 ? 2 : 1))
            .Resume(async ctx =>
            {
                if (QuantitySteps.Parse(ctx.Digits ?? "") is not { } choice || choice < 1 || choice > LineCount(ctx))
                    return CallContext.Retry(ctx.Digits is null ? "no line chosen" : "not a line number");
                if (await LineAtAsync(ctx, choice - 1) is not { } line) return CallContext.Retry("line list lost");
                SelectLine(ctx, line, choice - 1);
                return QuantitySteps.Start(ctx, NewQuantity);
            })
            .MaxTries(3, thenGoTo: Menu);

        // The ERP checks the stock when it applies the change; here only the keypad range is checked.
        QuantitySteps.Define(flow, NewQuantity, OrderPrompts.ChangeConfirm, confirmed: Update, back: Menu,
            options.Value.MaxQuantity, limitToStock: false);

        flow.Step(Update)
            .Enter(UpdateAsync)
            .Then(Menu);

        flow.Step(Changed)
            .Enter(ctx => ctx.Play(OrderPrompts.Changed))
            .Then(Steps.MainMenu);
    }

    /// <summary>
    /// Reads the order again and replaces the chosen line's quantity, sending every line. The line is found by its product
    /// code (at the position the caller heard, else anywhere), so a line added meanwhile does not shift the choice.
    /// The idempotency key comes from the confirmation, so a repeated callback applies the change once.
    /// </summary>
    private static async Task<StepResult> UpdateAsync(CallContext ctx)
    {
        if (await ChangeableOrderAsync(ctx) is not { } order) return CallContext.Goto(Locked);
        var product = ctx.Get(OrderKeys.LineProduct);
        var quantity = SessionNumbers.Long(ctx, OrderKeys.Quantity);
        var heardAt = LineIndex(ctx);
        var at = heardAt < order.Lines.Count && order.Lines[heardAt].ProductCode == product
            ? heardAt
            : order.Lines.ToList().FindIndex(l => l.ProductCode == product);
        if (at < 0 || quantity is null)
        {
            ctx.Note("the chosen line is no longer on the order");
            return CallContext.Goto(Rejected);
        }

        var lines = order.Lines.Select((l, i) => new OrderLineRequest(l.ProductCode, i == at ? quantity.Value : l.Quantity)).ToList();
        if (await GivenUpBeforeTheWriteAsync(ctx, "change")) return CallContext.Goto(Menu);
        try
        {
            await ctx.Service<ErpClient>().UpdateOrderAsync(
                order.Id, new UpdateOrderRequest { Lines = lines }, PlaceOrderSteps.IdempotencyKey(ctx, "change"), ctx.CancellationToken);
        }
        catch (ErpException e) when (e.Kind is ErpErrorKind.Rejected or ErpErrorKind.NotFound)
        {
            ctx.Note($"change refused by the ERP: {e.Problem?.Type ?? e.Kind.ToString()}");
            return CallContext.Goto(RefusalStep(e));
        }
        catch (ErpException e) when (MayHaveLanded(e))
        {
            OutcomeUnknown(ctx, "change", e);
            throw;
        }

        return await DoneAsync(ctx, Changed, "changed");
    }

    /// <summary>
    /// A held turn given up on while it read the order (the caller heard the apology): the write is not sent. A write
    /// already on its way when the give-up comes may still land: <see cref="OutcomeUnknown"/> says so.
    /// </summary>
    private static async Task<bool> GivenUpBeforeTheWriteAsync(CallContext ctx, string what)
    {
        if (!await ctx.IsTurnAbandonedAsync()) return false;
        ctx.Note($"{what} not sent: the turn was given up on, the caller heard the apology");
        return true;
    }

    /// <summary>
    /// The ERP took the write, which cannot be taken back (a single call, not two-phase): the turn's decision says whether
    /// the caller hears it. Taken now, an engine that gives up on the held turn afterwards, here or on another instance,
    /// tells the caller the outcome instead of the apology. When it gave up first the caller heard the apology for a
    /// change that stands: logged (2601) and noted, worth a call back.
    /// </summary>
    private static async Task<StepResult> DoneAsync(CallContext ctx, string step, string what)
    {
        if (!await ctx.LetTurnStandAsync(step))
        {
            var logger = ctx.Services.GetService<ILoggerFactory>()?.CreateLogger<ChangeOrderFlow>();
            if (logger is not null) Log.DoneAfterGiveUp(logger, ctx.CallId, Hosting.Redact.Id(ctx.Get(OrderKeys.OrderId) ?? ""), what);
            ctx.Note($"order {what} in the ERP after the turn was given up on: the caller heard the apology");
        }

        return CallContext.Goto(step);
    }

    /// <summary>
    /// No usable answer came back: its time limit, the give-up or the app stopping cut the write off, the connection failed
    /// (the error does not tell a refused connection from one lost after sending), or the ERP answered 5xx or garbage.
    /// The ERP may have taken it all the same, and it cannot be taken back; the caller hears the apology (the step fails
    /// as before), the person on call gets the order to check. Not a refusal, an open circuit or refused credentials:
    /// nothing was taken then.
    /// </summary>
    private static bool MayHaveLanded(ErpException e) => e.Kind is ErpErrorKind.Timeout or ErpErrorKind.Unavailable;

    private static void OutcomeUnknown(CallContext ctx, string what, ErpException e)
    {
        var logger = ctx.Services.GetService<ILoggerFactory>()?.CreateLogger<ChangeOrderFlow>();
        if (logger is not null) Log.OutcomeUnknown(logger, ctx.CallId, Hosting.Redact.Id(ctx.Get(OrderKeys.OrderId) ?? ""), what, e.Kind);
    }

    /// <summary>The chosen order, fresh from the ERP, if it is the caller's and can still be changed; null otherwise.</summary>
    private static async Task<Order?> ChangeableOrderAsync(CallContext ctx)
    {
        if (ctx.Get(OrderKeys.OrderId) is not { } orderId) return null;
        Order order;
        try
        {
            order = await ctx.Service<ErpClient>().GetOrderAsync(orderId, ctx.CancellationToken);
        }
        catch (ErpException e) when (e.Kind == ErpErrorKind.NotFound)
        {
            ctx.Note("the chosen order is not in the ERP");
            return null;
        }

        if (order.ContactId != ctx.Get(CallerKeys.ContactId))
        {
            ctx.Note("the chosen order belongs to another contact");
            return null;
        }

        if (!OrderStatuses.Changeable(order.Status))
        {
            ctx.Note($"order is {order.Status}: cannot be changed");
            return null;
        }

        return order;
    }

    /// <summary>
    /// Where an ERP refusal of a cancel or change leads. An order that moved past confirmed since it was read cannot be
    /// changed however often the caller tries, so it gets the same refusal as one read that way, not the change menu again.
    /// </summary>
    private static string RefusalStep(ErpException e) =>
        e.Problem?.Type == ErpProblemTypes.OrderNotChangeable ? Locked : Rejected;

    private static void SelectLine(CallContext ctx, OrderLineSummary line, int index)
    {
        SessionNumbers.Set(ctx, OrderKeys.LineIndex, index);
        ctx.Set(OrderKeys.LineProduct, line.ProductCode);
        ctx.Set(OrderKeys.LineCodeDigits, SpokenNumbers.Digits(line.ProductCode));
        // The IVR says whole numbers: 0.4 m³ would be heard as 0, 2.5 as 3. Such a quantity is not said at all.
        if (line.Quantity > 0 && line.Quantity == decimal.Truncate(line.Quantity))
        {
            SessionNumbers.Set(ctx, OrderKeys.LineQuantity, (long)line.Quantity);
        }
        else
        {
            ctx.Set(OrderKeys.LineQuantity, null);
            ctx.Note($"line {index + 1}: quantity {line.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture)} not said (not a whole number)");
        }
    }

    private static async Task<OrderLineSummary?> LineAtAsync(CallContext ctx, int index)
    {
        var lines = await CallStateLists.LoadAsync<OrderLineSummary>(ctx, LinesStateKey);
        if (lines is null)
        {
            ctx.Note("order lines not in the call state: read again from the ERP");
            var order = await ChangeableOrderAsync(ctx);
            lines = order?.Lines.Take(MaxLinesRead).Select(l => new OrderLineSummary(l.ProductCode, l.Quantity)).ToList();
        }

        return lines is not null && index >= 0 && index < lines.Count ? lines[index] : null;
    }

    private static int LineIndex(CallContext ctx) => SessionNumbers.Int(ctx, OrderKeys.LineIndex) ?? 0;

    private static int LineCount(CallContext ctx) => SessionNumbers.Int(ctx, OrderKeys.LineCount) ?? 0;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2601, Level = LogLevel.Warning,
            Message = "Call {CallId}: order {OrderId} was {What} in the ERP after the caller's turn was given up on; the caller heard the apology, worth a call back")]
        public static partial void DoneAfterGiveUp(ILogger logger, string callId, string orderId, string what);

        [LoggerMessage(EventId = 2602, Level = LogLevel.Warning,
            Message = "Call {CallId}: order {OrderId} {What} sent to the ERP without a usable answer ({ErpError}); it may have been taken while the caller heard the apology, worth checking")]
        public static partial void OutcomeUnknown(ILogger logger, string callId, string orderId, string what, ErpErrorKind erpError);
    }
}

/// <summary>A line as the change flow reads it out and finds it again.</summary>
internal sealed record OrderLineSummary(string ProductCode, decimal Quantity);
