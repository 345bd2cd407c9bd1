namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// Session keys of the order and product flows: short, and only ids, indexes and the few values the next callback
/// says aloud. Lists (the orders read out, the lines, the top products) live in the call state.
/// </summary>
public static class OrderKeys
{
    // The order being read out or changed.
    public const string OrderId = "oi";
    public const string OrderIndex = "ox";
    public const string OrderCount = "oc";
    public const string NumberDigits = "on";
    public const string Status = "os";

    /// <summary>Estimated delivery, <c>yyyy-MM-dd</c>; absent when unknown.</summary>
    public const string Delivery = "od";

    // The lines of the order being changed.
    public const string LineIndex = "li";
    public const string LineCount = "ln";
    public const string LineCodeDigits = "lc";
    public const string LineQuantity = "lq";

    /// <summary>Product code of the line the caller chose; the line is found again by it before the update.</summary>
    public const string LineProduct = "lp";

    // Repeating the last order.
    public const string RepeatOrderId = "ri";
    public const string RepeatLineCount = "rl";
    /// <summary>The last order's total in whole units; absent when it is not to be said (another currency).</summary>
    public const string RepeatTotal = "rt";

    // The product being ordered (product lookup, top products).
    public const string ProductCode = "pc";

    /// <summary>
    /// Price in hundredths (a whole number, so the Session never carries a decimal separator); absent when it is not to be
    /// said (in a currency the prompts do not name).
    /// </summary>
    public const string Price = "pp";

    /// <summary>Whole units the caller may order now; absent when not known.</summary>
    public const string Stock = "pk";

    /// <summary>Product codes keyed that the ERP did not know, this time in the product lookup.</summary>
    public const string ProductMisses = "pn";

    // The top products being read out.
    public const string TopIndex = "tx";
    public const string TopCount = "tn";

    // Entering and confirming a quantity, placing the order.
    public const string Quantity = "pq";
    public const string InvalidQuantities = "qn";

    /// <summary>
    /// The Session's callback count when the caller was asked to confirm. Set with the question, so it comes back with
    /// every repeat of the answer (a repeated callback, a replay after a holding prompt): the idempotency key of the
    /// ERP write is built from it and the call id, and stays the same.
    /// </summary>
    public const string BasketSequence = "bs";

    /// <summary>Digits of the accepted order's number, said after "order accepted".</summary>
    public const string AcceptedDigits = "ao";
}
