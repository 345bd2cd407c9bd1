using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>A scripted call: who calls, and the ordered exchanges the app must go through.</summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    /// <summary>The file it was read from, for messages.</summary>
    public string? SourcePath { get; init; }

    public string? Description { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Hash { get; init; }

    public CallbackEncoding? Encoding { get; init; }

    public TimeSpan? Budget { get; init; }

    public required IReadOnlyList<ScenarioExchange> Exchanges { get; init; }

    /// <summary>The call settings for this scenario: its own values over the command line's.</summary>
    public CallSettings ApplyTo(CallSettings defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        return defaults with
        {
            FromNumber = From ?? defaults.FromNumber,
            ToNumber = To ?? defaults.ToNumber,
            Hash = Hash ?? defaults.Hash,
            Encoding = Encoding ?? defaults.Encoding,
            Budget = Budget ?? defaults.Budget,
        };
    }
}
