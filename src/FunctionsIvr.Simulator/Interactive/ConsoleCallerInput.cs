using FunctionsIvr.Simulator.Platform;
using Spectre.Console;

namespace FunctionsIvr.Simulator.Interactive;

/// <summary>Caller input in an interactive terminal: a text prompt for digits, a pick list for call statuses.</summary>
public sealed class ConsoleCallerInput(IAnsiConsole console) : ICallerInput
{
    public async Task<string?> ReadDigitsAsync(AnsweredAction getDtmf, CancellationToken cancellationToken)
    {
        var typed = await new TextPrompt<string>("  [blue]digits[/] [grey](Enter alone = timeout)[/]:")
            .AllowEmpty()
            .Validate(text => text.All(c => char.IsAsciiDigit(c) || c is '*' or '#')
                ? ValidationResult.Success()
                : ValidationResult.Error("[red]only 0-9, * and #[/]"))
            .ShowAsync(console, cancellationToken);
        return CallerChoices.KeypadDigits(typed, getDtmf);
    }

    public async Task<CallInput?> ReadCallStatusAsync(AnsweredAction call, CancellationToken cancellationToken)
    {
        var label = await new SelectionPrompt<string>()
            .Title($"  [blue]what happens when dialling {Markup.Escape(call["Destination"] ?? "?")}?[/]")
            .AddChoices(CallerChoices.CallOutcomes.Select(c => c.Label))
            .ShowAsync(console, cancellationToken);
        console.MarkupLine("  [grey]" + Markup.Escape(label) + "[/]");
        return CallerChoices.CallOutcomes.First(c => c.Label == label).Input;
    }
}
