using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Interactive;

/// <summary>
/// Caller input as plain lines, for pipes and terminals without a TTY: a line of digits for GetDTMF (an empty line is
/// a timeout); for a Call… action a status name or its number from the printed list ("error 4 no SIP account" adds
/// the platform Error object). End of input hangs up.
/// </summary>
public sealed class LineCallerInput(TextReader input, TextWriter output) : ICallerInput
{
    public async Task<string?> ReadDigitsAsync(AnsweredAction getDtmf, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync("  digits (empty line = timeout):");
        var line = await input.ReadLineAsync(cancellationToken);
        return line is null ? null : CallerChoices.KeypadDigits(line, getDtmf);
    }

    public async Task<CallInput?> ReadCallStatusAsync(AnsweredAction call, CancellationToken cancellationToken)
    {
        for (var i = 0; i < CallerChoices.CallOutcomes.Count; i++)
        {
            await output.WriteLineAsync($"  {i + 1}. {CallerChoices.CallOutcomes[i].Label}");
        }

        while (true)
        {
            await output.WriteLineAsync("  call status (name or number):");
            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            if (TryParse(line, out var choice))
            {
                return choice;
            }

            await output.WriteLineAsync($"  '{line.Trim()}' is not a call status; use {string.Join(", ", CallStatuses.All)} or 1-{CallerChoices.CallOutcomes.Count}");
        }
    }

    private static bool TryParse(string line, out CallInput choice)
    {
        var parts = line.Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        choice = CallInput.None;
        if (parts.Length == 0)
        {
            return false;
        }

        if (parts.Length == 1 && int.TryParse(parts[0], out var number) && number >= 1 && number <= CallerChoices.CallOutcomes.Count)
        {
            choice = CallerChoices.CallOutcomes[number - 1].Input;
            return true;
        }

        if (!CallStatuses.TryNormalize(parts[0], out var status))
        {
            return false;
        }

        var error = parts.Length > 1 ? new PlatformError(parts[1], parts.Length > 2 ? parts[2] : "") : null;
        choice = CallInput.CallStatus(status, error);
        return true;
    }
}
