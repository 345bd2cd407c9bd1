using System.ComponentModel.DataAnnotations;

namespace FunctionsIvr.Orders;

/// <summary>Ordering by phone and the out-of-band commit: section <c>Orders</c>.</summary>
public sealed class OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>The largest quantity one phone order line may ask for; a keypad slip (an extra zero) stops here.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Orders:MaxQuantity (env Orders__MaxQuantity) must be between 1 and 1000000.")]
    public int MaxQuantity { get; set; } = 10_000;

    /// <summary>
    /// A Prepared outbox entry untouched this long is re-sent by the sweep (its commit message never reached the queue,
    /// or nobody recorded that it did). The same MessageId keeps a re-send single.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00", ErrorMessage = "Orders:ResendAfter (env Orders__ResendAfter) must be between 00:00:10 and 01:00:00.")]
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long the call waits for the commit message to reach the queue. The outbox entry is already written, so a
    /// queue that is down or slow costs the caller nothing: after this the order stands and the sweep sends it. Recording
    /// the send in the outbox afterwards is bounded by it as well.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "Orders:SendTimeout (env Orders__SendTimeout) must be between 00:00:00.100 and 00:00:30.")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after the ERP's expiry the sweep waits before aborting an uncommitted transaction: the two clocks differ,
    /// and a commit already on its way gets to finish first.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Orders:ExpiryGrace (env Orders__ExpiryGrace) must be between 00:00:00 and 01:00:00.")]
    public TimeSpan ExpiryGrace { get; set; } = TimeSpan.FromMinutes(1);
}
