using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>Why a scenario failed, so a load run can count protocol breaks apart from unexpected flows.</summary>
public enum ScenarioFailureKind
{
    /// <summary>An answer broke the IVR API protocol.</summary>
    Protocol,

    /// <summary>No answer arrived (connection refused, the platform's max wait passed).</summary>
    Transport,

    /// <summary>A valid answer came later than the budget.</summary>
    Budget,

    /// <summary>A valid answer was not the one the scenario expects.</summary>
    Expectation,

    /// <summary>The scenario does not fit the call (digits for an action that collects none, input missing…).</summary>
    Script,
}

/// <summary>The outcome of one scenario run, with the full call for the transcript.</summary>
public sealed record ScenarioResult(
    Scenario Scenario,
    IReadOnlyList<Exchange> Exchanges,
    string? Failure = null,
    int? FailedExchange = null,
    ScenarioFailureKind? FailureKind = null)
{
    public bool Passed => Failure is null;

    public TimeSpan Slowest => Exchanges.Count == 0 ? TimeSpan.Zero : Exchanges.Max(e => e.Elapsed);
}
