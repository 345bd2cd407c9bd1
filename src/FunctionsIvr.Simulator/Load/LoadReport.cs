namespace FunctionsIvr.Simulator.Load;

/// <summary>The numbers of a load run. Latencies cover every callback that got an HTTP answer.</summary>
public sealed record LoadReport
{
    public required int Calls { get; init; }

    /// <summary>Calls that ended the way the platform expects (Hangup/DontAnswer, or the scenario passed).</summary>
    public required int CompletedCalls { get; init; }

    /// <summary>The most calls that were in progress at the same moment.</summary>
    public int PeakConcurrentCalls { get; init; }

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

    /// <summary>Times callers heard "order accepted", all calls together (0 when the prompt is not counted).</summary>
    public int OrdersAccepted { get; init; }

    /// <summary>Every call placed, by its UniqueCallId, with how many times its caller heard "order accepted" (often 0).</summary>
    public IReadOnlyDictionary<string, int> AcceptedByCall { get; init; } = new Dictionary<string, int>();

    /// <summary>Per scenario of a scenario run, in the order given: calls, how many passed, orders heard accepted.</summary>
    public IReadOnlyList<ScenarioLoad> ByScenario { get; init; } = [];

    public double CallbacksPerSecond => Duration > TimeSpan.Zero ? Callbacks / Duration.TotalSeconds : 0;

    public bool Clean => InvalidAnswers == 0 && Errors == 0;
}

/// <summary>One scenario's share of a load run.</summary>
public sealed record ScenarioLoad(string Name, int Calls, int Passed, int OrdersAccepted);
