using System.Globalization;
using System.Text;
using FunctionsIvr.Simulator.Load;
using Spectre.Console;

namespace FunctionsIvr.Simulator.Display;

/// <summary>The numbers of a load run as a table, problems listed under it; optionally the same as Markdown for a report.</summary>
public static class LoadReportPrinter
{
    public static void Print(IAnsiConsole console, LoadReport report, TimeSpan budget, OrderCheckResult? orders = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(report);

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("calls", $"{N(report.Calls)} ({N(report.CompletedCalls)} ended by the app or as scripted; at most {N(report.PeakConcurrentCalls)} at once)");
        table.AddRow("callbacks", $"{N(report.Callbacks)} ({report.CallbacksPerSecond.ToString("0.0", CultureInfo.InvariantCulture)}/s over {report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        table.AddRow("invalid answers", Colour(report.InvalidAnswers, "red"));
        table.AddRow($"budget overruns (> {budget.TotalMilliseconds:0} ms)", Colour(report.BudgetOverruns, "yellow"));
        table.AddRow("errors", Colour(report.Errors, "red"));
        table.AddRow("latency p50", Precise(report.P50));
        table.AddRow("latency p99", Precise(report.P99));
        table.AddRow("latency max", Precise(report.Max));
        if (orders is not null)
        {
            table.AddRow("orders accepted", N(orders.Accepted));
            table.AddRow("orders committed exactly once", orders.Passed ? N(orders.CommittedExactlyOnce) : $"[red]{N(orders.CommittedExactlyOnce)}[/]");
            table.AddRow("duplicates", Colour(orders.Duplicates + orders.Unannounced, "red"));
            table.AddRow("missing", Colour(orders.Missing, "red"));
            table.AddRow("commits redelivered (still one order)", N(orders.CommitRedeliveries));
            table.AddRow("ERP transactions left open", N(orders.OpenTransactions));
            table.AddRow("waited for the commits", $"{orders.Waited.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({(orders.Drained ? "drained" : "gave up waiting")})");
        }
        else if (report.OrdersAccepted > 0)
        {
            table.AddRow("orders accepted", N(report.OrdersAccepted) + " (not checked in the ERP: no --erp-url)");
        }

        console.Write(table);

        foreach (var scenario in report.ByScenario)
        {
            console.MarkupLine($"  {Markup.Escape(scenario.Name)}: {N(scenario.Calls)} calls, {N(scenario.Passed)} as scripted, {N(scenario.OrdersAccepted)} orders accepted");
        }

        foreach (var (problem, count) in report.TopProblems)
        {
            console.MarkupLine($"  [red]{count.ToString(CultureInfo.InvariantCulture)}×[/] {Markup.Escape(problem)}");
        }

        if (orders is not null)
        {
            console.WriteLine("orders committed exactly once: " + orders.Verdict);
        }
    }

    /// <summary>One table row under a header, for docs/performance.md, and the exactly-once line when the ERP was checked.</summary>
    public static string Markdown(LoadReport report, TimeSpan budget, OrderCheckResult? orders = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"| concurrent calls (peak) | calls | callbacks | p50 ms | p99 ms | invalid answers | errors | budget overruns (> {budget.TotalMilliseconds:0} ms) | orders accepted | committed exactly once | duplicates | missing |\n");
        text.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        text.Append(CultureInfo.InvariantCulture,
            $"| {N(report.PeakConcurrentCalls)} | {N(report.Calls)} | {N(report.Callbacks)} | {Ms(report.P50)} | {Ms(report.P99)} | {N(report.InvalidAnswers)} | {N(report.Errors)} | {N(report.BudgetOverruns)} | ");
        text.Append(orders is null
            ? $"{N(report.OrdersAccepted)} | – | – | – |\n"
            : $"{N(orders.Accepted)} | {N(orders.CommittedExactlyOnce)} | {N(orders.Duplicates + orders.Unannounced)} | {N(orders.Missing)} |\n");
        if (orders is not null)
        {
            text.Append("\norders committed exactly once: ").Append(orders.Verdict).Append('\n');
        }

        return text.ToString();
    }

    private static string Precise(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Colour(int count, string colour) =>
        count == 0 ? "0" : $"[{colour}]{count.ToString(CultureInfo.InvariantCulture)}[/]";
}
