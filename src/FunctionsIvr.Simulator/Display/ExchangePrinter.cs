using System.Globalization;
using System.Text.Json;
using FunctionsIvr.Simulator.Platform;
using Spectre.Console;

namespace FunctionsIvr.Simulator.Display;

/// <summary>Prints a call as it happens: each callback sent, the action that came back, its timing and any problems.</summary>
public sealed class ExchangePrinter(IAnsiConsole console, ActionDescriber describer, bool showSession = true)
{
    private const int SessionShownChars = 100;

    public void Print(Exchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        console.MarkupLine("[grey]" + Markup.Escape(CallbackDescriber.Describe(exchange)) + "[/]");

        var ms = exchange.Elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        var timing = exchange.OverBudget
            ? $"[yellow]{ms} ms, over the {exchange.Budget.TotalMilliseconds:0} ms budget[/]"
            : $"[grey]{ms} ms[/]";
        var line = exchange.Action is { } action
            ? (exchange.Answer.IsValid ? "[bold]" : "[red]") + Markup.Escape(describer.Describe(action)) + "[/]"
            : "[red]✘ no usable action[/]";
        console.MarkupLine($"{line}  {timing}");

        foreach (var violation in exchange.Answer.Violations)
        {
            console.MarkupLine("   [red]✘ " + Markup.Escape(violation) + "[/]");
        }

        foreach (var warning in exchange.Answer.Warnings)
        {
            console.MarkupLine("   [yellow]⚠ " + Markup.Escape(warning) + "[/]");
        }

        if (showSession && exchange.Answer.Session is { } session)
        {
            console.MarkupLine("   [grey]session " + Markup.Escape(Shorten(session)) + "[/]");
        }
    }

    public void PrintAll(IEnumerable<Exchange> exchanges)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        foreach (var exchange in exchanges)
        {
            Print(exchange);
        }
    }

    private static string Shorten(JsonElement session)
    {
        var text = session.GetRawText();
        return text.Length <= SessionShownChars ? text : text[..SessionShownChars] + "…";
    }
}
