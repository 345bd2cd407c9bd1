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

    /// <summary>
    /// Whether a run must have had <see cref="Concurrency"/> calls in progress at once: paced calls (each lasts seconds)
    /// with a second wave to fill the slots. Calls back to back, or no more calls than slots, may all end before the
    /// last of a ramp-up starts, so their peak is reported only.
    /// </summary>
    public bool MustReachConcurrency => Pacing.Think > TimeSpan.Zero && Calls >= 2 * Concurrency;

    /// <summary>Panel number of the "order accepted" prompt: every Play of it is one order the caller heard accepted. Null = not counted.</summary>
    public string? AcceptedPrompt { get; init; }
}
