using System.Globalization;
using FunctionsIvr.Simulator.Load;
using Spectre.Console;

namespace FunctionsIvr.Simulator.Display;

/// <summary>The numbers of a load run as a table, problems listed under it.</summary>
public static class LoadReportPrinter
{
    public static void Print(IAnsiConsole console, LoadReport report, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("calls", $"{N(report.Calls)} ({N(report.CompletedCalls)} ended by the app)");
        table.AddRow("callbacks", $"{N(report.Callbacks)} ({report.CallbacksPerSecond.ToString("0.0", CultureInfo.InvariantCulture)}/s over {report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        table.AddRow("invalid answers", Colour(report.InvalidAnswers, "red"));
        table.AddRow($"budget overruns (> {budget.TotalMilliseconds:0} ms)", Colour(report.BudgetOverruns, "yellow"));
        table.AddRow("errors", Colour(report.Errors, "red"));
        table.AddRow("latency p50", Ms(report.P50));
        table.AddRow("latency p99", Ms(report.P99));
        table.AddRow("latency max", Ms(report.Max));
        console.Write(table);

        foreach (var (problem, count) in report.TopProblems)
        {
            console.MarkupLine($"  [red]{count.ToString(CultureInfo.InvariantCulture)}×[/] {Markup.Escape(problem)}");
        }
    }

    private static string Colour(int count, string colour) =>
        count == 0 ? "0" : $"[{colour}]{count.ToString(CultureInfo.InvariantCulture)}[/]";
}
