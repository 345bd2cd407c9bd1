using FunctionsIvr.Agents;
using FunctionsIvr.Hosting;
using FunctionsIvr.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Hosting;

public class LinkTokensTests
{
    [Fact]
    public void Derive_MatchesTheOpensslRecipeInTheDocs()
    {
        // printf 'agent:%s' agent_default | openssl dgst -sha256 -hmac "local-agents-signing-key" -binary | base64 | tr '+/' '-_' | tr -d '='
        Assert.Equal("orlNZBkNYm48FAHfmbYr_t2SCcq9iMTNYbokIAbnziY", LinkTokens.Derive("local-agents-signing-key", "agent:agent_default"));
    }

    [Theory]
    [InlineData("agent_a", AccessCheck.Granted)]
    [InlineData("agent_b", AccessCheck.Wrong)]
    public void AgentAccess_TokenIsBoundToItsLogin(string tokenOf, AccessCheck expected)
    {
        var access = new AgentAccess(Options.Create(new AgentOptions { SigningKey = "k" }));

        Assert.Equal(expected, access.Check("agent_a", access.TokenFor(tokenOf)));
    }

    [Fact]
    public void AgentAccess_SigningKeyAnUnresolvedKeyVaultReference_NotConfigured()
    {
        const string unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/agents-signing-key)";
        var access = new AgentAccess(Options.Create(new AgentOptions { SigningKey = unresolved }));

        Assert.Equal(AccessCheck.NotConfigured, access.Check("agent_a", LinkTokens.Derive(unresolved, "agent:agent_a")));
        Assert.Null(access.TokenFor("agent_a"));
    }

    [Fact]
    public void AgentAccess_ListedToken_OpensOnlyItsLogin()
    {
        var access = new AgentAccess(Options.Create(new AgentOptions { Tokens = new() { ["agent_a"] = "listed-token" } }));

        Assert.Equal(AccessCheck.Granted, access.Check("agent_a", "listed-token"));
        Assert.Equal(AccessCheck.Wrong, access.Check("agent_b", "listed-token"));
        Assert.Equal(AccessCheck.Missing, access.Check("agent_a", null));
    }

    [Theory]
    [InlineData("Agents:SigningKey")]
    [InlineData("Support:SigningKey")]
    public async Task SigningKeyShorterThan16Characters_StartUpStopsNamingIt(string setting)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = "secret1" });
        builder.AddAgentPages();
        builder.AddSupportPages();
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting + " (env " + setting.Replace(":", "__", StringComparison.Ordinal) + ") must be at least 16 characters", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/agents-signing-key)")]
    [InlineData("0123456789abcdef")]
    public async Task SigningKeyUnsetUnresolvedOrLongEnough_StartsUp(string? key)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Agents:SigningKey"] = key, ["Support:SigningKey"] = key });
        builder.AddAgentPages();
        builder.AddSupportPages();
        using var host = builder.Build();

        await host.StartAsync();
        await host.StopAsync();
    }
}
