using System.Globalization;
using FunctionsIvr.Agents;
using FunctionsIvr.Hosting;
using FunctionsIvr.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Hosting;

public class LinkTokensTests
{
    private const string Key = "0123456789abcdef-links";
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void DeriveWithExpiry_MatchesTheOpensslRecipeInTheDocs()
    {
        // printf 'agent:%s\n%s' agent_default 1767225600 | openssl dgst -sha256 -hmac "local-agents-signing-key" -binary | base64 | tr '+/' '-_' | tr -d '='
        Assert.Equal("wlv9t4guBUWJGofcEAfrJr2RvkyQ8l-DwuJoAVmRkIw", LinkTokens.Derive("local-agents-signing-key", "agent:agent_default", 1767225600));
    }

    [Fact]
    public void Check_LinkWithinItsLifetime_Valid()
    {
        var (token, exp) = TokenAndExpiry(LinkTokens.Query(Key, "call:c-1", Now + Week));

        Assert.Equal(LinkCheck.Valid, LinkTokens.Check(Key, "call:c-1", token, exp, Now.AddDays(6), Week));
    }

    [Fact]
    public void Check_AtOrPastItsExpiry_Expired()
    {
        var (token, exp) = TokenAndExpiry(LinkTokens.Query(Key, "call:c-1", Now + Week));

        Assert.Equal(LinkCheck.Expired, LinkTokens.Check(Key, "call:c-1", token, exp, Now + Week, Week));
        Assert.Equal(LinkCheck.Expired, LinkTokens.Check(Key, "call:c-1", token, exp, Now.AddDays(30), Week));
    }

    [Theory]
    [InlineData("+1")]
    [InlineData("+86400")]
    [InlineData("-60")]
    [InlineData("1e10")]
    [InlineData(" 1796203800")]
    [InlineData("99999999999999999999")]
    [InlineData("-1")]
    public void Check_ExpiryChanged_Wrong(string change)
    {
        var (token, exp) = TokenAndExpiry(LinkTokens.Query(Key, "call:c-1", Now + Week));
        var changed = change[0] is '+' or '-' && change.Length > 1 && change != "-1"
            ? (long.Parse(exp!, CultureInfo.InvariantCulture) + long.Parse(change, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)
            : change;

        Assert.Equal(LinkCheck.Wrong, LinkTokens.Check(Key, "call:c-1", token, changed, Now, Week));
    }

    [Fact]
    public void Check_AnotherValuesToken_Wrong()
    {
        var (token, exp) = TokenAndExpiry(LinkTokens.Query(Key, "call:c-2", Now + Week));

        Assert.Equal(LinkCheck.Wrong, LinkTokens.Check(Key, "call:c-1", token, exp, Now, Week));
    }

    [Fact]
    public void Check_LinkSentBeforeLinksExpired_RefusedAsExpired()
    {
        Assert.Equal(LinkCheck.Expired, LinkTokens.Check(Key, "call:c-1", LinkTokens.Derive(Key, "call:c-1"), null, Now, Week));
        Assert.Equal(LinkCheck.Wrong, LinkTokens.Check(Key, "call:c-1", LinkTokens.Derive(Key, "call:c-2"), null, Now, Week));
        Assert.Equal(LinkCheck.Missing, LinkTokens.Check(Key, "call:c-1", null, null, Now, Week));
    }

    [Fact]
    public void Check_SignedForLongerThanTheLifetime_RefusedAsExpired()
    {
        // Made by hand for a year, or before the lifetime was shortened.
        var (token, exp) = TokenAndExpiry(LinkTokens.Query(Key, "agent:a", Now.AddDays(365)));

        Assert.Equal(LinkCheck.Expired, LinkTokens.Check(Key, "agent:a", token, exp, Now, Week));
        Assert.Equal(LinkCheck.Valid, LinkTokens.Check(Key, "agent:a", token, exp, Now, TimeSpan.FromDays(366)));
    }

    [Fact]
    public void AgentAccess_ExpiredLink_Expired()
    {
        var clock = new ManualTimeProvider(Now);
        var access = new AgentAccess(Options.Create(new AgentOptions { SigningKey = Key, LinkLifetime = Week }), clock);
        var (token, exp) = TokenAndExpiry(access.LinkFor("agent_a")!);

        clock.Advance(Week);

        Assert.Equal(AccessCheck.Expired, access.Check("agent_a", token, exp));
    }

    private static AgentAccess Access(AgentOptions options) => new(Options.Create(options), new ManualTimeProvider(Now));

    /// <summary>The <c>t</c> and <c>exp</c> of a link or query.</summary>
    private static (string? Token, string? Expires) TokenAndExpiry(string link)
    {
        var query = System.Web.HttpUtility.ParseQueryString(link[link.IndexOf('?', StringComparison.Ordinal)..]);
        return (query[LinkTokens.TokenParameter], query[LinkTokens.ExpiryParameter]);
    }
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
        var access = Access(new AgentOptions { SigningKey = "k" });
        var (token, exp) = TokenAndExpiry(access.LinkFor(tokenOf)!);

        Assert.Equal(expected, access.Check("agent_a", token, exp));
    }

    [Fact]
    public void AgentAccess_SigningKeyAnUnresolvedKeyVaultReference_NotConfigured()
    {
        const string unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/agents-signing-key)";
        var access = Access(new AgentOptions { SigningKey = unresolved });
        var (token, exp) = TokenAndExpiry(LinkTokens.Query(unresolved, "agent:agent_a", Now.AddDays(1)));

        Assert.Equal(AccessCheck.NotConfigured, access.Check("agent_a", token, exp));
        Assert.Null(access.LinkFor("agent_a"));
    }

    [Fact]
    public void AgentAccess_ListedToken_OpensOnlyItsLogin()
    {
        var access = Access(new AgentOptions { Tokens = new() { ["agent_a"] = "listed-token" } });

        Assert.Equal(AccessCheck.Granted, access.Check("agent_a", "listed-token"));
        Assert.Equal(AccessCheck.Wrong, access.Check("agent_b", "listed-token"));
        Assert.Equal(AccessCheck.Missing, access.Check("agent_a", null));
    }

    [Theory]
    [InlineData("Agents:SigningKey", "secret1", "must be at least 16 characters")]
    [InlineData("Support:SigningKey", "secret1", "must be at least 16 characters")]
    [InlineData("Agents:LinkLifetime", "00:30:00", "must be between 01:00:00 and 90.00:00:00")]
    [InlineData("Support:LinkLifetime", "91.00:00:00", "must be between 01:00:00 and 90.00:00:00")]
    public async Task LinkSettingOutOfRange_StartUpStopsNamingIt(string setting, string value, string rule)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value });
        builder.AddAgentPages();
        builder.AddSupportPages();
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(setting + " (env " + setting.Replace(":", "__", StringComparison.Ordinal) + ") " + rule, e.Message, StringComparison.Ordinal);
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
