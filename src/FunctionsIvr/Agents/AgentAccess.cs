using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Agents;

/// <summary>
/// Who may see a login's cards: the holder of that login's token (derived from <see cref="AgentOptions.SigningKey"/>,
/// or listed under <c>Agents:Tokens</c>). A token is bound to its login, so one agent's link never opens another's page.
/// </summary>
public sealed class AgentAccess(IOptions<AgentOptions> options)
{
    /// <summary>Cookie set from the link's <c>t</c>, scoped to the agent's own path.</summary>
    public const string CookieName = "agent_token";

    public bool IsConfigured => LinkTokens.IsUsableKey(options.Value.SigningKey) || options.Value.Tokens.Count > 0;

    /// <summary>The login's token, or null when no usable signing key is set.</summary>
    public string? TokenFor(string login) =>
        LinkTokens.IsUsableKey(options.Value.SigningKey) ? LinkTokens.Derive(options.Value.SigningKey!, "agent:" + login) : null;

    public AccessCheck Check(string login, string? token)
    {
        if (!IsConfigured) return AccessCheck.NotConfigured;
        if (string.IsNullOrEmpty(token)) return AccessCheck.Missing;
        if (TokenFor(login) is { } derived && LinkTokens.Matches(token, derived)) return AccessCheck.Granted;
        if (options.Value.Tokens.TryGetValue(login, out var listed) && listed.Length > 0 && LinkTokens.Matches(token, listed)) return AccessCheck.Granted;
        return AccessCheck.Wrong;
    }
}

public enum AccessCheck
{
    Granted,
    /// <summary>No token given: 401.</summary>
    Missing,
    /// <summary>A token for another login, or none at all: 403.</summary>
    Wrong,
    /// <summary>No signing key: every page is closed (403).</summary>
    NotConfigured,
}
