namespace FunctionsIvr.State.InMemory;

/// <summary>Settings of the in-memory state used when no <c>StateStorage</c> connection is configured.</summary>
public sealed class InMemoryStateOptions
{
    public const string SectionName = "InMemoryState";

    public const int DefaultCallLogMaxCalls = 5000;

    /// <summary>
    /// How long a call's state outlives its last save. Calls last minutes; the limit keeps a long local run or a
    /// load test from growing without bound.
    /// </summary>
    public TimeSpan CallStateTimeToLive { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How many calls' call log the process keeps (the oldest call goes first): about 25 MB at ten lines a call.</summary>
    public int CallLogMaxCalls { get; set; } = DefaultCallLogMaxCalls;
}
