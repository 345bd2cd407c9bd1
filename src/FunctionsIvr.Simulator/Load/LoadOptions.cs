using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Simulator.Load;

/// <summary>How many calls to place, how many at once, how fast the callers go and what each call does.</summary>
public sealed record LoadOptions
{
    public int Calls { get; init; } = 100;

    public int Concurrency { get; init; } = 10;

    /// <summary>The calls follow these scenarios in turn (call i the scenario i mod n); empty = random walks (random digits and call statuses).</summary>
    public IReadOnlyList<Scenario> Scenarios { get; init; } = [];

    /// <summary>Seed of the random walks and of the callers' pauses, so a run can be repeated exactly.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>A random walk that has not ended after this many callbacks is stopped and counted as an error.</summary>
    public int MaxCallbacksPerCall { get; init; } = 50;

    public CallerPacing Pacing { get; init; } = CallerPacing.None;

    /// <summary>Panel number of the "order accepted" prompt: every Play of it is one order the caller heard accepted. Null = not counted.</summary>
    public string? AcceptedPrompt { get; init; }
}
