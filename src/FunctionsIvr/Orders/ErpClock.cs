using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Orders;

/// <summary>
/// The ERP's time, for judging what the ERP states on its own clock (a reservation's expiry). Measured from the
/// <c>Date</c> header of its answer (<see cref="Erp.PreparedTransaction.ErpClockAhead"/>), ours when there is none.
/// A skew over <see cref="LargeSkew"/> is logged (7030) at most once per <see cref="WarnEvery"/>, so the ERP's owner
/// hears of it without a line per order. One per app (singleton): the warning's pace is shared.
/// </summary>
public sealed class ErpClock(TimeProvider time, ILogger<ErpClock> logger)
{
    internal static readonly TimeSpan LargeSkew = TimeSpan.FromSeconds(60);
    internal static readonly TimeSpan WarnEvery = TimeSpan.FromHours(1);

    private long _quietUntilTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <param name="erpClockAhead">How far the ERP's clock is ahead of ours; null when unknown.</param>
    public DateTimeOffset Now(TimeSpan? erpClockAhead)
    {
        var now = time.GetUtcNow();
        if (erpClockAhead is not { } ahead) return now;
        if (ahead.Duration() > LargeSkew) WarnNowAndThen(ahead, now);
        return now + ahead;
    }

    private void WarnNowAndThen(TimeSpan ahead, DateTimeOffset now)
    {
        var quietUntil = Interlocked.Read(ref _quietUntilTicks);
        if (now.UtcTicks < quietUntil) return;
        // One instance of a burst wins the slot; the others stay quiet.
        if (Interlocked.CompareExchange(ref _quietUntilTicks, (now + WarnEvery).UtcTicks, quietUntil) != quietUntil) return;
        Log.ErpClockSkewed(logger, ahead.TotalSeconds, WarnEvery.TotalMinutes);
    }
}
