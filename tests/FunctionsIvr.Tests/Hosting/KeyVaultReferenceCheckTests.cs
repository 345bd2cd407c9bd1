using FunctionsIvr.Hosting;
using FunctionsIvr.Tests.Ivr;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Hosting;

public class KeyVaultReferenceCheckTests
{
    private const string Vault = "https://kv-abc123.vault.azure.net/secrets/";

    [Fact]
    public async Task Start_SecretsStillKeyVaultReferences_OneErrorPerSettingNamingItsKeyOnly()
    {
        // What App Service hands the app when the vault has no helpdesk-token and no erp-api-key: the app starts, and
        // on-call learns at once which settings to fix instead of from tickets failing later.
        var errors = await UnresolvedLinesAsync(new()
        {
            ["Escalations:Ticket:Url"] = "https://helpdesk.example.com/api/tickets",
            ["Escalations:Ticket:Token"] = $"@Microsoft.KeyVault(SecretUri={Vault}helpdesk-token)",
            ["Erp:ApiKey"] = $" @microsoft.keyvault(SecretUri={Vault}erp-api-key)",
            ["Escalations:Email:Password"] = "resolved-secret",
        });

        Assert.All(errors, e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.Equal(2, errors.Count);
        Assert.Contains("Setting Erp:ApiKey (env Erp__ApiKey) is a Key Vault reference that did not resolve", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Setting Escalations:Ticket:Token (env Escalations__Ticket__Token)", errors[1].Message, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain("vault.azure.net", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_EverySecretResolved_NothingLogged()
    {
        Assert.Empty(await UnresolvedLinesAsync(new() { ["Erp:ApiKey"] = "a-real-key" }));
    }

    /// <summary>Starts and stops an app with the check and these settings (plus working signing keys); its event 1001 lines.</summary>
    private static async Task<List<CapturingLoggerProvider.CapturedLog>> UnresolvedLinesAsync(Dictionary<string, string?> settings)
    {
        var logs = new CapturingLoggerProvider();
        settings["Ivr:Hash"] = "s3cr3t";
        settings["Ivr:SessionKey"] = Convert.ToBase64String(new byte[32]);
        var builder = IvrTestApp.CreateBuilder(settings, "Production", logs);
        builder.AddKeyVaultReferenceCheck();
        await using var app = builder.Build();

        await app.StartAsync();
        await app.StopAsync();

        return logs.Entries.Where(l => l.EventId.Id == 1001).ToList();
    }
}
