using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Simulator.Load;

/// <summary>How many calls to place, how many at once, and what each call does.</summary>
public sealed record LoadOptions
{
    public int Calls { get; init; } = 100;

    public int Concurrency { get; init; } = 10;

    /// <summary>Every call follows this scenario; null = a random walk (random digits and call statuses).</summary>
    public Scenario? Scenario { get; init; }

    /// <summary>Seed of the random walks, so a run can be repeated exactly.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A random walk that has not ended after this many callbacks is stopped and counted as an error.</summary>
    public int MaxCallbacksPerCall { get; init; } = 50;
}
