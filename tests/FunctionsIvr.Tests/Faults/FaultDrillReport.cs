using System.Globalization;
using FunctionsIvr.Ivr;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// One drill's line in the fault table. With <c>FAULT_DRILL_REPORT</c> set (scripts/faults.sh sets it) the line is
/// appended to that Markdown file, under the header when the file is new.
/// </summary>
internal sealed record FaultDrillReport
{
    public const string Variable = "FAULT_DRILL_REPORT";
    public const int BudgetMs = 1500;

    private static readonly Lock FileGate = new();

    public const string Header =
        "| fault | calls | callbacks | invalid answers | over budget (1500 ms) | slowest ms | orders accepted | committed exactly once after recovery | escalations | what callers heard |\n"
        + "|---|---:|---:|---:|---:|---:|---:|---:|---|---|";

    public required string Fault { get; init; }
    public required IReadOnlyList<DrillCall> Calls { get; init; }
    /// <summary>Null when the drill places no orders.</summary>
    public int? Accepted { get; init; }
    public int? CommittedOnce { get; init; }
    public required string Escalations { get; init; }

    /// <summary>Prompt numbers worth naming in "what callers heard", e.g. 129 → order accepted.</summary>
    public required IReadOnlyDictionary<string, string> PromptNames { get; init; }

    public IEnumerable<DrillAnswer> Answers => Calls.SelectMany(c => c.Answers);

    public int Invalid => Answers.Count(a => a.Problem is not null);

    public int OverBudget => Answers.Count(a => a.ElapsedMs > BudgetMs);

    public double SlowestMs => Answers.Max(a => a.ElapsedMs);

    /// <summary>How many calls heard each named prompt or ended in a transfer or hang-up, e.g. "order accepted 4/6".</summary>
    public string Heard()
    {
        var parts = new List<string>();
        foreach (var (prompt, name) in PromptNames)
        {
            var calls = Calls.Count(c => c.Heard(prompt));
            if (calls > 0) parts.Add($"{name} {calls}/{Calls.Count}");
        }
        var transferred = Calls.Count(c => c.Answers.Any(a => a.ActionType == IvrActionTypes.CallByObjectLogin));
        if (transferred > 0) parts.Add($"transfer to a person {transferred}/{Calls.Count}");
        return string.Join(", ", parts);
    }

    public string ToMarkdown() => string.Create(CultureInfo.InvariantCulture,
        $"| {Fault} | {Calls.Count} | {Answers.Count()} | {Invalid} | {OverBudget} | {SlowestMs:0} | {(Accepted is null ? "–" : Accepted)} | {(Accepted is null ? "–" : $"{CommittedOnce}/{Accepted}")} | {Escalations} | {Heard()} |");

    /// <summary>Appends the line when <c>FAULT_DRILL_REPORT</c> names a file; returns the line either way.</summary>
    public string Append()
    {
        var line = ToMarkdown();
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(path)) return line;
        lock (FileGate)
        {
            var isNew = !File.Exists(path) || new FileInfo(path).Length == 0;
            File.AppendAllText(path, (isNew ? Header + "\n" : "") + line + "\n");
        }
        return line;
    }
}
