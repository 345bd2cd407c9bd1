using System.Globalization;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Hosting;

/// <summary>
/// The failures of one options section's startup check. Every message names the configuration key and its environment
/// variable, so whoever deploys sees what to set. Plain checks rather than data annotations: validating annotations
/// reflected over each option type through System.ComponentModel on every start, about 30 ms of a cold instance's
/// first answer (docs/performance.md, sixth round).
/// </summary>
internal sealed class SettingChecks(string section)
{
    private readonly List<string> _failures = [];

    public ValidateOptionsResult Result => _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);

    /// <summary><c>Section:Property (env Section__Property)</c>; a nested property is given as <c>Outer:Inner</c>.</summary>
    public string Key(string property) =>
        $"{section}:{property} (env {section}__{property.Replace(":", "__", StringComparison.Ordinal)})";

    public void Fail(string failure) => _failures.Add(failure);

    public void Range(string property, int value, int min, int max)
    {
        if (value < min || value > max) Fail($"{Key(property)} is {value}; it must be between {min} and {max}.");
    }

    public void Range(string property, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max) Fail($"{Key(property)} is {Text(value)}; it must be between {Text(min)} and {Text(max)}.");

        // As the settings are written: 0:00:10, 0:00:00.1.
        static string Text(TimeSpan value) => value.ToString("g", CultureInfo.InvariantCulture);
    }

    /// <summary>Fails when <paramref name="value"/> is missing or blank; <paramref name="what"/> says what to set it to.</summary>
    public void Required(string property, string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value)) Fail($"{Key(property)} is required: {what}.");
    }
}
