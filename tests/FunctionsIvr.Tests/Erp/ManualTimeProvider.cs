namespace FunctionsIvr.Tests.Erp;

/// <summary>The system clock plus an offset moved by hand; timers stay real so timeouts still fire.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    public override long GetTimestamp() => System.GetTimestamp() + (long)(_offset.TotalSeconds * TimestampFrequency);

    public void Advance(TimeSpan by) => _offset += by;
}
