namespace FunctionsIvr.Orders;

/// <summary>Ordering by phone and the out-of-band commit: section <c>Orders</c>, checked at startup (<see cref="OrdersOptionsValidator"/>).</summary>
public sealed class OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>The largest quantity one phone order line may ask for; a keypad slip (an extra zero) stops here.</summary>
    /// <remarks>Allowed: 1–1,000,000.</remarks>
    public int MaxQuantity { get; set; } = 10_000;

    /// <summary>
    /// A Prepared outbox entry untouched this long is re-sent by the sweep (its commit message never reached the queue,
    /// or nobody recorded that it did). The same MessageId keeps a re-send single.
    /// </summary>
    /// <remarks>Allowed: 00:00:10–01:00:00.</remarks>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A Queued outbox entry untouched this long is committed by the sweep itself, on every pass until it is settled or
    /// expires: its message used up its deliveries (the ERP down for minutes) or is stuck. Longer than the queue's whole
    /// redelivery schedule (<c>WorkQueue:RetryMaxDelay</c> and friends: about 2.5 minutes), so a message still being
    /// redelivered is normally left to the queue; a commit from both is harmless, as the ERP commit is idempotent.
    /// </summary>
    /// <remarks>Allowed: 00:01:00–01:00:00.</remarks>
    public TimeSpan RecommitAfter { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>
    /// How long the call waits for the commit message to reach the queue. The outbox entry is already written, so a
    /// queue that is down or slow costs the caller nothing: after this the order stands and the sweep sends it. Recording
    /// the send in the outbox afterwards is bounded by it as well.
    /// </summary>
    /// <remarks>Allowed: 00:00:00.100–00:00:30.</remarks>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after the ERP's expiry the sweep waits before aborting an uncommitted transaction: the two clocks differ,
    /// and a commit already on its way gets to finish first.
    /// </summary>
    /// <remarks>Allowed: 00:00:00–01:00:00.</remarks>
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromMinutes(1);
}
