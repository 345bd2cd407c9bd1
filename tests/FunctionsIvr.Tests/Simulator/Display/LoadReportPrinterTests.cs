using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Load;

namespace FunctionsIvr.Tests.Simulator.Display;

public class LoadReportPrinterTests
{
    [Fact]
    public void Markdown_WithOrdersChecked_OneRowUnderTheHeaderAndTheExactlyOnceLine()
    {
        var orders = new OrderCheckResult { Accepted = 700, CommittedExactlyOnce = 699, Duplicates = 0, Unannounced = 0, Missing = 1 };

        var text = LoadReportPrinter.Markdown(Report(), TimeSpan.FromMilliseconds(1500), orders);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("| concurrent calls (peak) | calls | callbacks | p50 ms | p99 ms | invalid answers | errors | budget overruns (> 1500 ms) |", lines[0], StringComparison.Ordinal);
        Assert.Equal("| 1000 | 2000 | 21000 | 12 | 480 | 0 | 3 | 7 | 700 | 699 | 0 | 1 |", lines[2]);
        Assert.Equal("orders committed exactly once: NO (699 of 700 accepted committed exactly once; 1 missing)", lines[3]);
    }

    [Fact]
    public void Print_WithOrdersChecked_ShowsTheOrdersAndTheVerdict()
    {
        using var output = new StringWriter();
        var orders = new OrderCheckResult { Accepted = 700, CommittedExactlyOnce = 700, Duplicates = 0, Unannounced = 0, Missing = 0, Drained = true };

        LoadReportPrinter.Print(SimulatorParts.Console(output), Report(), TimeSpan.FromMilliseconds(1500), orders);

        var text = output.ToString();
        Assert.Contains("at most 1000 at once", text, StringComparison.Ordinal);
        Assert.Matches(@"orders committed exactly once\s*│\s*700", text);
        Assert.Contains("orders committed exactly once: yes", text, StringComparison.Ordinal);
        Assert.Contains("repeat: 1000 calls, 990 as scripted, 700 orders accepted", text, StringComparison.Ordinal);
    }

    private static LoadReport Report() => new()
    {
        Calls = 2000,
        CompletedCalls = 1997,
        PeakConcurrentCalls = 1000,
        Callbacks = 21000,
        InvalidAnswers = 0,
        BudgetOverruns = 7,
        Errors = 3,
        P50 = TimeSpan.FromMilliseconds(12.4),
        P99 = TimeSpan.FromMilliseconds(480),
        Max = TimeSpan.FromMilliseconds(1900),
        Duration = TimeSpan.FromSeconds(60),
        TopProblems = [],
        OrdersAccepted = 700,
        ByScenario = [new ScenarioLoad("repeat", 1000, 990, 700)],
    };
}
