using FunctionsIvr.Ivr;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Ivr;

/// <summary>Startup behaviour of <c>AddIvrProtocol</c>: what a deployment without the right settings sees.</summary>
public class IvrOptionsTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32]);

    private static async Task<string> StartupFailureAsync(Dictionary<string, string?> settings, string environment = "Production")
    {
        var app = IvrTestApp.CreateBuilder(settings, environment, new CapturingLoggerProvider()).Build();
        await using (app)
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
            return error.ToString();
        }
    }

    private static async Task<(IvrOptions Options, CapturingLoggerProvider Logs, IServiceProvider Services)> StartAsync(
        Dictionary<string, string?> settings, string environment = "Production")
    {
        var logs = new CapturingLoggerProvider();
        var app = IvrTestApp.CreateBuilder(settings, environment, logs).Build();
        await app.StartAsync();
        await app.StopAsync();
        return (app.Services.GetRequiredService<IOptions<IvrOptions>>().Value, logs, app.Services);
    }

    [Fact]
    public async Task Startup_ProductionWithoutHash_FailsNamingTheKey()
    {
        var message = await StartupFailureAsync(new() { ["Ivr:SessionKey"] = Key });
        Assert.Contains("Ivr:Hash (env Ivr__Hash) is required outside Development", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ProductionWithoutSessionKey_FailsNamingTheKey()
    {
        var message = await StartupFailureAsync(new() { ["Ivr:Hash"] = "s3cr3t" });
        Assert.Contains("Ivr:SessionKey (env Ivr__SessionKey) is required outside Development", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_SessionKeyStillAKeyVaultReference_FailsNamingTheKey()
    {
        // What App Service hands the app when the vault has no ivr-session-key: text anyone can rebuild from the host
        // name, long enough to pass as a key, so Sessions would be signed with a key that is no secret.
        var message = await StartupFailureAsync(new()
        {
            ["Ivr:Hash"] = "s3cr3t",
            ["Ivr:SessionKey"] = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/ivr-session-key)",
        });

        Assert.Contains("Ivr:SessionKey (env Ivr__SessionKey) is a Key Vault reference that did not resolve", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_PreviousSessionKeyStillAKeyVaultReference_FailsNamingTheKey()
    {
        // Sessions signed with the reference's text would pass as signed with the key before a rotation.
        var message = await StartupFailureAsync(new()
        {
            ["Ivr:Hash"] = "s3cr3t",
            ["Ivr:SessionKey"] = Key,
            ["Ivr:PreviousSessionKey"] = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/ivr-previous-session-key)",
        });

        Assert.Contains("Ivr:PreviousSessionKey (env Ivr__PreviousSessionKey) is a Key Vault reference that did not resolve", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_SessionKeyAReferenceAfterASpace_FailsNamingTheKey()
    {
        // The key is read trimmed, so a space in front must not let the reference's text through as a key.
        var message = await StartupFailureAsync(new()
        {
            ["Ivr:Hash"] = "s3cr3t",
            ["Ivr:SessionKey"] = " @Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/ivr-session-key)",
        });

        Assert.Contains("Ivr:SessionKey (env Ivr__SessionKey) is a Key Vault reference that did not resolve", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_HashStillAKeyVaultReference_FailsNamingTheKey()
    {
        // The platform would have to send the reference's text as its Hash, and anyone who can rebuild it could drive calls.
        var message = await StartupFailureAsync(new()
        {
            ["Ivr:Hash"] = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/ivr-hash)",
            ["Ivr:SessionKey"] = Key,
        });

        Assert.Contains("Ivr:Hash (env Ivr__Hash) is a Key Vault reference that did not resolve", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ProductionWithNothing_ReportsBothKeys()
    {
        var message = await StartupFailureAsync([]);
        Assert.Contains("Ivr:Hash (env Ivr__Hash)", message, StringComparison.Ordinal);
        Assert.Contains("Ivr:SessionKey (env Ivr__SessionKey)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ProductionWithHashAndKey_StartsWithDefaults()
    {
        var (options, _, _) = await StartAsync(new() { ["Ivr:Hash"] = "s3cr3t", ["Ivr:SessionKey"] = Key });

        Assert.Equal((65_536, 1024, 1500, IvrAnswerMode.Auto), (options.MaxRequestBodyBytes, options.SessionMaxBytes, options.CallbackBudgetMs, options.AnswerMode));
        Assert.Equal("Number", options.SayParameterName(IvrActionTypes.SayNumber));
        Assert.Equal("Time", options.SayParameterName(IvrActionTypes.SayTime));
    }

    [Fact]
    public async Task Startup_DevelopmentWithoutKeys_StartsAndWarnsAboutTheRandomSessionKey()
    {
        var (_, logs, services) = await StartAsync([], "Development");

        var codec = services.GetRequiredService<SessionCodec>();
        var encoded = System.Text.Json.JsonDocument.Parse(codec.Encode(new CallSession { Step = "menu" }, "c-1").ToJsonString()).RootElement;

        Assert.True(codec.Decode(encoded, "c-1").IsValid);
        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 1105);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Ivr:SessionKey", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ShortSessionKey_FailsEvenInDevelopment()
    {
        var message = await StartupFailureAsync(new() { ["Ivr:SessionKey"] = "change-me" }, "Development");
        Assert.Contains("Ivr:SessionKey (env Ivr__SessionKey) is too short", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ShortPreviousSessionKey_FailsNamingTheKey()
    {
        var message = await StartupFailureAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:PreviousSessionKey"] = "old" });
        Assert.Contains("Ivr:PreviousSessionKey (env Ivr__PreviousSessionKey) is too short", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxRequestBodyBytes", "0")]
    [InlineData("MaxRequestBodyBytes", "10000000")]
    [InlineData("SessionMaxBytes", "16")]
    [InlineData("CallbackBudgetMs", "60000")]
    public async Task Startup_LimitOutOfRange_FailsNamingTheKeyAndRange(string property, string value)
    {
        var message = await StartupFailureAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:" + property] = value });
        Assert.Contains($"Ivr:{property} (env Ivr__{property}) is {value}; it must be between", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_AnswerModeApp_Bound()
    {
        var (options, _, _) = await StartAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:AnswerMode"] = "App" });
        Assert.Equal(IvrAnswerMode.App, options.AnswerMode);
    }

    [Theory]
    [InlineData("Sometimes")]
    [InlineData("7")]
    public async Task Startup_UnknownAnswerMode_FailsNamingTheKey(string value)
    {
        var message = await StartupFailureAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:AnswerMode"] = value });
        Assert.Contains("Ivr:AnswerMode", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_SayParameterNameOverridden_OthersKeepDefaults()
    {
        var (options, _, _) = await StartAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:SayParameterNames:SayNumber"] = "Value" });

        Assert.Equal("Value", options.Say(IvrActionTypes.SayNumber, "5").Parameters.Single().Key);
        Assert.Equal("Digits", options.SayParameterName(IvrActionTypes.SayDigits));
        Assert.Equal(4, options.SayParameterNames.Count);
    }

    [Fact]
    public async Task Startup_SayParameterNameForAnotherAction_FailsNamingTheKey()
    {
        var message = await StartupFailureAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:SayParameterNames:Play"] = "Prompt" });
        Assert.Contains("Ivr:SayParameterNames:Play (env Ivr__SayParameterNames__Play) is not a Say action type", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ErrorCategories_MapErrorNumbers()
    {
        var (options, _, _) = await StartAsync(new()
        {
            ["Ivr:Hash"] = "h",
            ["Ivr:SessionKey"] = Key,
            ["Ivr:ErrorCategories:4"] = "NoSipAccount",
            ["Ivr:ErrorCategories:1"] = "AppTimeout",
        });

        Assert.Equal(IvrErrorCategories.NoSipAccount, options.ErrorCategoryOf(new IvrError("4", "no SIP account")));
        Assert.Equal(IvrErrorCategories.AppTimeout, options.ErrorCategoryOf(new IvrError(" 1 ", "")));
        Assert.Equal(IvrErrorCategories.Unknown, options.ErrorCategoryOf(new IvrError("99", "")));
    }

    [Fact]
    public async Task Startup_UnknownErrorCategory_FailsNamingTheKeyAndChoices()
    {
        var message = await StartupFailureAsync(new() { ["Ivr:Hash"] = "h", ["Ivr:SessionKey"] = Key, ["Ivr:ErrorCategories:4"] = "NoSip" });
        Assert.Contains("Ivr:ErrorCategories:4 (env Ivr__ErrorCategories__4) is 'NoSip'; use one of", message, StringComparison.Ordinal);
        Assert.Contains("NoSipAccount", message, StringComparison.Ordinal);
    }
}
