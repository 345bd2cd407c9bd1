using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Ivr;

/// <summary>
/// Startup check of <see cref="IvrOptions"/>. Every message names the configuration key and its environment
/// variable, so whoever deploys sees what to set. Outside Development the Hash and the Session key are required:
/// without them anyone could drive calls or forge a Session.
/// </summary>
public sealed class IvrOptionsValidator(IHostEnvironment environment) : IValidateOptions<IvrOptions>
{
    private static readonly string[] SayTypes =
        [IvrActionTypes.SayNumber, IvrActionTypes.SayDigits, IvrActionTypes.SayDate, IvrActionTypes.SayTime];

    public ValidateOptionsResult Validate(string? name, IvrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var production = !environment.IsDevelopment();

        if (production && string.IsNullOrWhiteSpace(options.Hash))
        {
            failures.Add($"{Key("Hash")} is required outside Development: set it to the verification value configured in the IVR API panel.");
        }

        if (string.IsNullOrWhiteSpace(options.SessionKey))
        {
            if (production)
            {
                failures.Add($"{Key("SessionKey")} is required outside Development: set it to 32 random bytes in base64 (e.g. `openssl rand -base64 32`).");
            }
        }
        else
        {
            CheckKeyLength(nameof(IvrOptions.SessionKey), options.SessionKey, failures);
        }

        if (!string.IsNullOrWhiteSpace(options.PreviousSessionKey))
        {
            CheckKeyLength(nameof(IvrOptions.PreviousSessionKey), options.PreviousSessionKey, failures);
        }

        CheckRange(nameof(IvrOptions.MaxRequestBodyBytes), options.MaxRequestBodyBytes, 1024, 1_048_576, failures);
        CheckRange(nameof(IvrOptions.SessionMaxBytes), options.SessionMaxBytes, 128, 16_384, failures);
        CheckRange(nameof(IvrOptions.CallbackBudgetMs), options.CallbackBudgetMs, 100, 30_000, failures);

        if (!Enum.IsDefined(options.AnswerMode))
        {
            failures.Add($"{Key("AnswerMode")} must be Auto (the panel answers) or App (the panel's auto-answer is 0).");
        }

        foreach (var sayType in SayTypes)
        {
            if (!options.SayParameterNames.TryGetValue(sayType, out var parameter) || string.IsNullOrWhiteSpace(parameter))
            {
                failures.Add($"{Key("SayParameterNames:" + sayType)} must name the parameter of the {sayType} action.");
            }
        }

        foreach (var sayType in options.SayParameterNames.Keys)
        {
            if (!SayTypes.Contains(sayType, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{Key("SayParameterNames:" + sayType)} is not a Say action type (SayNumber, SayDigits, SayDate, SayTime).");
            }
        }

        foreach (var (errorNo, category) in options.ErrorCategories)
        {
            if (!IvrErrorCategories.All.Contains(category))
            {
                failures.Add($"{Key("ErrorCategories:" + errorNo)} is '{category}'; use one of {string.Join(", ", IvrErrorCategories.All)}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) =>
        $"{IvrOptions.SectionName}:{property} (env {IvrOptions.SectionName}__{property.Replace(":", "__", StringComparison.Ordinal)})";

    private static void CheckKeyLength(string property, string setting, List<string> failures)
    {
        if (SessionKeyMaterial.FromSetting(setting).Length < SessionKeyMaterial.MinBytes)
        {
            failures.Add($"{Key(property)} is too short: use at least {SessionKeyMaterial.MinBytes} bytes, best 32 random bytes in base64.");
        }
    }

    private static void CheckRange(string property, int value, int min, int max, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Key(property)} is {value}; it must be between {min} and {max}.");
        }
    }
}
