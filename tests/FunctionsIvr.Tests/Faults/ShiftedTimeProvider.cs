namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// The real clock, with wall-clock time that a drill can move ahead (<see cref="Skip"/>) so the outbox sweep sees
/// entries as old as in production without the drill waiting for them. Timers and timestamps stay real, so budgets,
/// retry delays and holding prompts run at their true pace.
/// </summary>
internal sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Skip(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
