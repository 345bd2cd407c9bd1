namespace FunctionsIvr.Simulator.Load;

/// <summary>The numbers of a load run. Latencies cover every callback that got an HTTP answer.</summary>
public sealed record LoadReport
{
    public required int Calls { get; init; }

    /// <summary>Calls that ended the way the platform expects (Hangup/DontAnswer, or the scenario passed).</summary>
    public required int CompletedCalls { get; init; }

    public required int Callbacks { get; init; }

    /// <summary>Answers that broke the protocol (the platform would take its fallback).</summary>
    public required int InvalidAnswers { get; init; }

    public required int BudgetOverruns { get; init; }

    /// <summary>No answer at all, scenario mismatches, calls that never ended.</summary>
    public required int Errors { get; init; }

    public required TimeSpan P50 { get; init; }

    public required TimeSpan P99 { get; init; }

    public required TimeSpan Max { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>The most frequent problems (violations and errors) with how often each occurred.</summary>
    public required IReadOnlyList<(string Problem, int Count)> TopProblems { get; init; }

    public double CallbacksPerSecond => Duration > TimeSpan.Zero ? Callbacks / Duration.TotalSeconds : 0;

    public bool Clean => InvalidAnswers == 0 && Errors == 0;
}
