using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Platform;
using Spectre.Console;

namespace FunctionsIvr.Simulator.Interactive;

/// <summary>A call driven by a person: every answer is printed, and the person types digits and picks dial outcomes.</summary>
public sealed class InteractiveCall(CallDriver driver, ICallerInput input, ExchangePrinter printer, IAnsiConsole console)
{
    /// <summary>Runs the call to its end; true when every answer was valid and within the budget.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        console.MarkupLine($"[grey]call {Markup.Escape(driver.UniqueCallId)} to {Markup.Escape(driver.Settings.Url.ToString())} ({driver.Settings.Encoding.ToString().ToLowerInvariant()})[/]");
        var exchange = await driver.StartAsync(cancellationToken);
        printer.Print(exchange);
        while (!driver.HasEnded)
        {
            var next = await AskAsync(exchange.Action!, cancellationToken);
            if (next is null)
            {
                console.MarkupLine("[grey]the caller hung up[/]");
                break;
            }

            exchange = await driver.ContinueAsync(next, cancellationToken);
            printer.Print(exchange);
        }

        var clean = driver.Exchanges.All(e => e.Answer.IsValid && !e.OverBudget);
        console.MarkupLine(driver.HasEnded
            ? $"[grey]call ended: {Markup.Escape(driver.EndReason!)} after {driver.Exchanges.Count} callbacks[/]"
            : $"[grey]{driver.Exchanges.Count} callbacks[/]");
        return clean;
    }

    private async Task<CallInput?> AskAsync(AnsweredAction action, CancellationToken cancellationToken)
    {
        if (action.Type == ActionTypes.GetDtmf)
        {
            return await input.ReadDigitsAsync(action, cancellationToken) is { } digits ? CallInput.Dtmf(digits) : null;
        }

        if (action.IsCall)
        {
            return await input.ReadCallStatusAsync(action, cancellationToken);
        }

        return CallInput.None;
    }
}
