namespace FunctionsIvr.Calls;

/// <summary>The whole call flow: every step by name and every prompt it may play.</summary>
public sealed class CallFlow
{
    /// <summary>Where every call starts (Session null).</summary>
    public const string StartStep = "start";

    /// <summary>The safe path for every failure: an apology and a way out (a person or a hang-up).</summary>
    public const string FallbackStep = "fallback";

    /// <summary>Hangs up; the last step of every call.</summary>
    public const string EndStep = "end";

    internal static readonly string[] RequiredSteps = [StartStep, FallbackStep, EndStep];

    private readonly IReadOnlyDictionary<string, FlowStep> _steps;

    internal CallFlow(IReadOnlyDictionary<string, FlowStep> steps, IReadOnlySet<string> prompts)
    {
        _steps = steps;
        Prompts = prompts;
    }

    public IReadOnlySet<string> Prompts { get; }

    public IEnumerable<string> StepNames => _steps.Keys;

    public FlowStep? Find(string name) => _steps.GetValueOrDefault(name);

    public FlowStep this[string name] =>
        _steps.TryGetValue(name, out var step) ? step : throw new InvalidOperationException($"Unknown step '{name}'.");
}

/// <summary>A part of the call flow (greeting, orders, transfers…) that adds its steps to the builder.</summary>
public interface IFlowModule
{
    void Define(FlowBuilder flow);
}
