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
        var logs = new CapturingLoggerProvider();
        var builder = IvrTestApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["Ivr:Hash"] = "s3cr3t",
            ["Ivr:SessionKey"] = Convert.ToBase64String(new byte[32]),
            ["Escalations:Ticket:Url"] = "https://helpdesk.example.com/api/tickets",
            ["Escalations:Ticket:Token"] = $"@Microsoft.KeyVault(SecretUri={Vault}helpdesk-token)",
            ["Erp:ApiKey"] = $" @microsoft.keyvault(SecretUri={Vault}erp-api-key)",
            ["Escalations:Email:Password"] = "resolved-secret",
        }, "Production", logs);
        builder.AddKeyVaultReferenceCheck();
        await using var app = builder.Build();

        await app.StartAsync();
        await app.StopAsync();

        var errors = logs.Entries.Where(l => l.EventId.Id == 1001).ToList();
        Assert.All(errors, e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.Equal(2, errors.Count);
        Assert.Contains("Setting Erp:ApiKey (env Erp__ApiKey) is a Key Vault reference that did not resolve", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("Setting Escalations:Ticket:Token (env Escalations__Ticket__Token)", errors[1].Message, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.DoesNotContain("vault.azure.net", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_EverySecretResolved_NothingLogged()
    {
        var logs = new CapturingLoggerProvider();
        var builder = IvrTestApp.CreateBuilder(new Dictionary<string, string?>
        {
            ["Ivr:Hash"] = "s3cr3t",
            ["Ivr:SessionKey"] = Convert.ToBase64String(new byte[32]),
            ["Erp:ApiKey"] = "a-real-key",
        }, "Production", logs);
        builder.AddKeyVaultReferenceCheck();
        await using var app = builder.Build();

        await app.StartAsync();
        await app.StopAsync();

        Assert.DoesNotContain(logs.Entries, l => l.EventId.Id == 1001);
    }
}
