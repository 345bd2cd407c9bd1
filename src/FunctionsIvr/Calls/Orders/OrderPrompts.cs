namespace FunctionsIvr.Calls.Orders;

/// <summary>Prompts of the order flows (status, change, repeat) and of placing an order, which the product flows share.</summary>
public static class OrderPrompts
{
    // Reading an order back.
    public const string NoActiveOrders = "no_active_orders";
    public const string OrderNumber = "order_number";
    public const string StatusConfirmed = "order_status_confirmed";
    public const string StatusInPreparation = "order_status_in_preparation";
    public const string StatusShipped = "order_status_shipped";
    public const string StatusUnknown = "order_status_unknown";
    public const string DeliveryDate = "delivery_date";
    public const string DeliveryDateUnknown = "delivery_date_unknown";
    public const string NextMenu = "order_next_menu";
    public const string NoMoreOrders = "no_more_orders";

    // Changing or cancelling.
    public const string Option = "order_option";
    public const string ChooseOrder = "change_choose_order";
    public const string CannotChange = "order_cannot_change";
    public const string ChangeMenu = "change_order_menu";
    public const string CancelConfirm = "cancel_confirm";
    public const string Cancelled = "order_cancelled";
    public const string Line = "order_line";
    public const string ChooseLine = "choose_line";
    public const string ChangeConfirm = "change_confirm";
    public const string Changed = "order_changed";
    public const string ChangeRejected = "order_change_rejected";

    // Repeating the last order.
    public const string NoPreviousOrder = "no_previous_order";
    public const string RepeatSummary = "repeat_summary";
    public const string RepeatTotal = "repeat_total";
    public const string RepeatConfirm = "repeat_confirm";

    // Quantities and placing an order.
    public const string EnterQuantity = "enter_quantity";
    public const string QuantityInvalid = "quantity_invalid";
    public const string OrderConfirm = "order_confirm";
    public const string ConfirmKeys = "confirm_keys";
    public const string Accepted = "order_accepted";
    public const string Rejected = "order_rejected";
    public const string TryLater = "order_try_later";
}
