namespace FunctionsIvr.State.Diagnostics;

/// <summary>Storage round trips since start, by store; read by the benchmark to check the cost of a callback.</summary>
public sealed class StorageCounters
{
    private long callStateReads;
    private long callStateWrites;
    private long callLogWrites;
    private long callLogReads;
    private long outboxOperations;
    private long unsentWorkOperations;

    public void CallStateRead() => Interlocked.Increment(ref callStateReads);

    public void CallStateWrite() => Interlocked.Increment(ref callStateWrites);

    public void CallLogWrite() => Interlocked.Increment(ref callLogWrites);

    public void CallLogRead() => Interlocked.Increment(ref callLogReads);

    public void OutboxOperation() => Interlocked.Increment(ref outboxOperations);

    public void UnsentWorkOperation() => Interlocked.Increment(ref unsentWorkOperations);

    public StorageCountsSnapshot Snapshot() => new(
        Interlocked.Read(ref callStateReads),
        Interlocked.Read(ref callStateWrites),
        Interlocked.Read(ref callLogWrites),
        Interlocked.Read(ref callLogReads),
        Interlocked.Read(ref outboxOperations),
        Interlocked.Read(ref unsentWorkOperations));
}

/// <summary>The counts at one moment; <see cref="Total"/> is every round trip to the state storage.</summary>
public sealed record StorageCountsSnapshot(
    long CallStateReads, long CallStateWrites, long CallLogWrites, long CallLogReads, long OutboxOperations, long UnsentWorkOperations)
{
    public long Total => CallStateReads + CallStateWrites + CallLogWrites + CallLogReads + OutboxOperations + UnsentWorkOperations;
}
