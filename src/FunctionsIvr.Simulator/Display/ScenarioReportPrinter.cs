using System.Globalization;
using FunctionsIvr.Simulator.Scenarios;
using Spectre.Console;

namespace FunctionsIvr.Simulator.Display;

/// <summary>One pass/fail line per scenario with the reason, the call's transcript under a failure, and a summary.</summary>
public sealed class ScenarioReportPrinter(IAnsiConsole console, ExchangePrinter transcript, bool verbose)
{
    private int passed;
    private int failed;

    public int Passed => passed;

    public int Failed => failed;

    public void PrintUnreadable(ScenarioLoader.LoadedFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        failed++;
        console.MarkupLine($"[red]✘ {Markup.Escape(Path.GetFileName(file.Path))}[/]: cannot be read: {Markup.Escape(file.Error ?? "")}");
    }

    public void Print(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var name = Markup.Escape(result.Scenario.Name);
        var file = result.Scenario.SourcePath is { } path ? $" [grey]({Markup.Escape(Path.GetFileName(path))})[/]" : "";
        var slowest = result.Slowest.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        if (result.Passed)
        {
            passed++;
            console.MarkupLine($"[green]✔ {name}[/]{file} [grey]{result.Exchanges.Count} callbacks, slowest {slowest} ms[/]");
        }
        else
        {
            failed++;
            console.MarkupLine($"[red]✘ {name}[/]{file}: exchange {result.FailedExchange}: {Markup.Escape(result.Failure!)}");
        }

        if (verbose || !result.Passed)
        {
            foreach (var exchange in result.Exchanges)
            {
                transcript.Print(exchange);
            }

            console.WriteLine();
        }
    }

    public void PrintSummary() =>
        console.MarkupLine(failed == 0
            ? $"[green]{passed} passed, 0 failed[/]"
            : $"[red]{passed} passed, {failed} failed[/]");
}
