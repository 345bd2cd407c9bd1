using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.State;

/// <summary>Startup check of <see cref="StateOptions"/>.</summary>
public sealed class StateOptionsValidator : IValidateOptions<StateOptions>
{
    public ValidateOptionsResult Validate(string? name, StateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checks = new SettingChecks(StateOptions.SectionName);
        checks.Range(nameof(StateOptions.RetentionDays), options.RetentionDays, 1, 3650);
        return checks.Result;
    }
}
