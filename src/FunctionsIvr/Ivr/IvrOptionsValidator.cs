using FunctionsIvr.Hosting;
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
        var checks = new SettingChecks(IvrOptions.SectionName);
        var production = !environment.IsDevelopment();

        if (production && string.IsNullOrWhiteSpace(options.Hash))
        {
            checks.Fail($"{checks.Key("Hash")} is required outside Development: set it to the verification value configured in the IVR API panel.");
        }
        else if (!string.IsNullOrEmpty(options.Hash) && !LinkTokens.IsUsableKey(options.Hash))
        {
            // The reference's text, rebuildable from the host name, would be the only thing a caller of the webhook needs.
            checks.Fail($"{checks.Key("Hash")} is a Key Vault reference that did not resolve: put the secret in the vault (ivr-hash, docs/deploy.md) and let the app's identity read it.");
        }

        if (string.IsNullOrWhiteSpace(options.SessionKey))
        {
            if (production)
            {
                checks.Fail($"{checks.Key("SessionKey")} is required outside Development: set it to 32 random bytes in base64 (e.g. `openssl rand -base64 32`).");
            }
        }
        else if (!LinkTokens.IsUsableKey(options.SessionKey))
        {
            // The reference's own text names the vault and passes as a long key: Sessions signed with it could be forged.
            checks.Fail($"{checks.Key("SessionKey")} is a Key Vault reference that did not resolve: put the secret in the vault (ivr-session-key, docs/deploy.md) and let the app's identity read it.");
        }
        else
        {
            CheckKeyLength(checks, nameof(IvrOptions.SessionKey), options.SessionKey);
        }

        if (!string.IsNullOrWhiteSpace(options.PreviousSessionKey))
        {
            if (LinkTokens.IsUsableKey(options.PreviousSessionKey))
            {
                CheckKeyLength(checks, nameof(IvrOptions.PreviousSessionKey), options.PreviousSessionKey);
            }
            else
            {
                // Sessions signed with the reference's text would be accepted as signed with the previous key.
                checks.Fail($"{checks.Key("PreviousSessionKey")} is a Key Vault reference that did not resolve: put the secret in the vault, or remove the setting once the rotation is over (docs/configuration.md).");
            }
        }

        checks.Range(nameof(IvrOptions.MaxRequestBodyBytes), options.MaxRequestBodyBytes, 1024, 1_048_576);
        checks.Range(nameof(IvrOptions.SessionMaxBytes), options.SessionMaxBytes, 128, 16_384);
        checks.Range(nameof(IvrOptions.CallbackBudgetMs), options.CallbackBudgetMs, 100, 30_000);

        if (!Enum.IsDefined(options.AnswerMode))
        {
            checks.Fail($"{checks.Key("AnswerMode")} must be Auto (the panel answers) or App (the panel's auto-answer is 0).");
        }

        foreach (var sayType in SayTypes)
        {
            if (!options.SayParameterNames.TryGetValue(sayType, out var parameter) || string.IsNullOrWhiteSpace(parameter))
            {
                checks.Fail($"{checks.Key("SayParameterNames:" + sayType)} must name the parameter of the {sayType} action.");
            }
        }

        foreach (var sayType in options.SayParameterNames.Keys)
        {
            if (!SayTypes.Contains(sayType, StringComparer.OrdinalIgnoreCase))
            {
                checks.Fail($"{checks.Key("SayParameterNames:" + sayType)} is not a Say action type (SayNumber, SayDigits, SayDate, SayTime).");
            }
        }

        foreach (var (errorNo, category) in options.ErrorCategories)
        {
            if (!IvrErrorCategories.All.Contains(category))
            {
                checks.Fail($"{checks.Key("ErrorCategories:" + errorNo)} is '{category}'; use one of {string.Join(", ", IvrErrorCategories.All)}.");
            }
        }

        return checks.Result;
    }

    private static void CheckKeyLength(SettingChecks checks, string property, string setting)
    {
        if (SessionKeyMaterial.FromSetting(setting).Length < SessionKeyMaterial.MinBytes)
        {
            checks.Fail($"{checks.Key(property)} is too short: use at least {SessionKeyMaterial.MinBytes} bytes, best 32 random bytes in base64.");
        }
    }
}
