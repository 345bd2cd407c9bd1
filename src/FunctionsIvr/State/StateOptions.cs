namespace FunctionsIvr.State;

/// <summary>How long the state storage keeps what it stores: section <c>State</c>, checked at startup (<see cref="StateOptionsValidator"/>).</summary>
public sealed class StateOptions
{
    public const string SectionName = "State";

    /// <summary>
    /// Days the call log, the ERP call record merge rows and closed outbox entries (committed, aborted, failed) are kept
    /// after their last write; the daily PurgeState run deletes older ones. They hold personal data (masked input, the
    /// caller's order), so they must not stay forever. Call state itself goes after a day: no call lasts that long.
    /// </summary>
    /// <remarks>Allowed: 1–3650.</remarks>
    public int RetentionDays { get; set; } = 30;
}
