using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>
/// One step of a scenario: what the current answer must look like, then what the platform sends next (the digits
/// typed, the dial outcome, an Error object, the same callback again), or that the call must have ended.
/// </summary>
public sealed record ScenarioExchange
{
    /// <summary>1-based position in the scenario, for messages.</summary>
    public required int Number { get; init; }

    public ScenarioExpectation? Expect { get; init; }

    /// <summary>When the answer does not match, skip this exchange and hold the answer against the next one.</summary>
    public bool Optional { get; init; }

    public string? Digits { get; init; }

    public string? Status { get; init; }

    public PlatformError? Error { get; init; }

    /// <summary>Send the previous callback again; the answer must be identical to the one before.</summary>
    public bool Repeat { get; init; }

    /// <summary>The answer must have ended the call (Hangup or DontAnswer).</summary>
    public bool End { get; init; }

    public bool SendsInput => Digits is not null || Status is not null || Error is not null;

    public CallInput ToInput() => new(Digits, Status, Error);
}
