using System.Globalization;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// Asking for a quantity and confirming it, shared by ordering a product and changing an order line:
/// <c>{prefix}_quantity</c> asks (up to 5 digits, # ends), a refused value plays "quantity_invalid" and asks again
/// (three refusals or three silences go <c>back</c>), then the confirmation is read ("you are ordering" + the quantity)
/// and asked: 1 goes on to <c>confirmed</c>, 2 goes <c>back</c>.
/// </summary>
internal static class QuantitySteps
{
    public const int MaxDigits = 5;
    private const int MaxRefusals = 3;

    public static StepResult Start(CallContext ctx, string prefix)
    {
        ctx.Set(OrderKeys.Quantity, null);
        ctx.Set(OrderKeys.InvalidQuantities, null);
        return CallContext.Goto(prefix + "_quantity");
    }

    /// <param name="limitToStock">Refuse more than <see cref="OrderKeys.Stock"/> (when the Session knows it).</param>
    public static void Define(
        FlowBuilder flow, string prefix, string confirmPrompt, string confirmed, string back, int maxQuantity, bool limitToStock)
    {
        flow.UsesPrompts(OrderPrompts.EnterQuantity, OrderPrompts.QuantityInvalid, confirmPrompt, OrderPrompts.ConfirmKeys);
        var ask = prefix + "_quantity";
        var refused = prefix + "_quantity_invalid";
        var intro = prefix + "_confirm_intro";
        var say = prefix + "_confirm_quantity";
        var confirm = prefix + "_confirm";

        flow.Step(ask)
            .Enter(ctx => ctx.Ask(OrderPrompts.EnterQuantity, MaxDigits))
            .Resume(ctx =>
            {
                if (ctx.Digits is not { } digits) return CallContext.Retry("no quantity entered");
                var quantity = Parse(digits);
                var stock = limitToStock ? SessionNumbers.Long(ctx, OrderKeys.Stock) : null;
                if (quantity is null or < 1 || quantity > maxQuantity || quantity > stock)
                {
                    SessionNumbers.Set(ctx, OrderKeys.InvalidQuantities, (SessionNumbers.Int(ctx, OrderKeys.InvalidQuantities) ?? 0) + 1);
                    ctx.Note($"{ask}: quantity refused ({(quantity > stock ? "above stock" : "out of range")})");
                    return CallContext.Goto(refused);
                }

                SessionNumbers.Set(ctx, OrderKeys.Quantity, quantity.Value);
                return CallContext.Goto(intro);
            })
            .MaxTries(3, thenGoTo: back);

        flow.Step(refused)
            .Enter(ctx => ctx.Play(OrderPrompts.QuantityInvalid))
            .Resume(ctx => CallContext.Goto((SessionNumbers.Int(ctx, OrderKeys.InvalidQuantities) ?? 0) >= MaxRefusals ? back : ask));

        flow.Step(intro)
            .Enter(ctx => ctx.Play(confirmPrompt))
            .Then(say);

        flow.Step(say)
            .Enter(ctx => ctx.SayNumber(SessionNumbers.Long(ctx, OrderKeys.Quantity) ?? 0))
            .Then(confirm);

        flow.Step(confirm)
            .Enter(ctx =>
            {
                PlaceOrderSteps.MarkBasket(ctx);
                return ctx.Ask(OrderPrompts.ConfirmKeys, maxDigits: 1);
            })
            .Resume(ctx => ctx.Digits switch
            {
                "1" => CallContext.Goto(confirmed),
                "2" => CallContext.Goto(back),
                _ => CallContext.Retry("no confirmation"),
            })
            .MaxTries(3, thenGoTo: back);
    }

    /// <summary>Whole units typed on the keypad; null for anything else (a star, too many digits).</summary>
    public static int? Parse(string digits) =>
        digits.Length is > 0 and <= MaxDigits && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
