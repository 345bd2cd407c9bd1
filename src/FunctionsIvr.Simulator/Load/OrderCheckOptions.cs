namespace FunctionsIvr.Simulator.Load;

/// <summary>Where the ERP's placed orders are read after a load run, and how long to wait for the commits to drain.</summary>
public sealed record OrderCheckOptions
{
    /// <summary>The DemoErp (or an ERP with the same <c>GET /admin/placed-orders</c>).</summary>
    public required Uri ErpUrl { get; init; }

    public string ApiKey { get; init; } = "demo-key";

    /// <summary>Give up waiting for the commits after this long, and report what is there.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Nothing changed for this long while something is still missing or open: the queue is taken as drained. Longer
    /// than the app's longest pause between two deliveries of a message (<c>WorkQueue:RetryMaxDelay</c>, 30 s), so a
    /// commit waiting for its next delivery, a late duplicate among them, still lands before the check ends.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
