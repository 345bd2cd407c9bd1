using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>Startup check of <see cref="CallEngineOptions"/>: each limit within the range the engine is built for.</summary>
public sealed class CallEngineOptionsValidator : IValidateOptions<CallEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, CallEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new SettingChecks(CallEngineOptions.SectionName);
        checks.Range(nameof(CallEngineOptions.WorkTimeoutMs), options.WorkTimeoutMs, 500, 120_000);
        checks.Range(nameof(CallEngineOptions.QueueSendTimeoutMs), options.QueueSendTimeoutMs, 100, 30_000);
        checks.Range(nameof(CallEngineOptions.ParkWorkTimeoutMs), options.ParkWorkTimeoutMs, 100, 30_000);
        checks.Range(nameof(CallEngineOptions.MaxStepsPerCall), options.MaxStepsPerCall, 5, 1000);
        checks.Range(nameof(CallEngineOptions.MaxHoldsPerStep), options.MaxHoldsPerStep, 0, 10);
        checks.Range(nameof(CallEngineOptions.MaxTransitionsPerCallback), options.MaxTransitionsPerCallback, 2, 100);
        if (options.PromptCurrency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            checks.Fail($"{checks.Key(nameof(CallEngineOptions.PromptCurrency))} is '{options.PromptCurrency}': an ISO 4217 code in capitals, e.g. PLN or EUR.");
        }

        if (TimeZones.Find(options.TimeZone) is null)
        {
            checks.Fail($"{checks.Key(nameof(CallEngineOptions.TimeZone))} is '{options.TimeZone}': not a time zone this machine knows; use an IANA id such as Europe/Warsaw.");
        }

        return checks.Result;
    }
}
