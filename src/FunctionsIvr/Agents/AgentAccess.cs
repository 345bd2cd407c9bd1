using System.Globalization;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Agents;

/// <summary>
/// Who may see a login's cards: the holder of that login's link (token derived from <see cref="AgentOptions.SigningKey"/>
/// with the link's expiry, see <see cref="LinkTokens"/>), or of a token listed under <c>Agents:Tokens</c>. A token is
/// bound to its login, so one agent's link never opens another's page.
/// </summary>
public sealed class AgentAccess(IOptions<AgentOptions> options, TimeProvider time)
{
    /// <summary>Cookie set from the link's <c>t</c> (and <c>exp</c>), scoped to the agent's own path.</summary>
    public const string CookieName = "agent_token";

    /// <summary>How long the cookie is kept at most; never past the link's expiry.</summary>
    private static readonly TimeSpan CookieMaxAge = TimeSpan.FromDays(30);

    public bool IsConfigured => LinkTokens.IsUsableKey(options.Value.SigningKey) || options.Value.Tokens.Count > 0;

    /// <summary>
    /// The login's page path with a link open for <see cref="AgentOptions.LinkLifetime"/> from now, or null when no
    /// usable signing key is set.
    /// </summary>
    public string? LinkFor(string login)
    {
        var key = options.Value.SigningKey;
        return LinkTokens.IsUsableKey(key)
            ? AgentPageApi.PagePath(login) + LinkTokens.Query(key!, Value(login), time.GetUtcNow() + options.Value.LinkLifetime)
            : null;
    }

    /// <param name="expires">The link's <c>exp</c>; null for a listed token (or a link from before links expired).</param>
    public AccessCheck Check(string login, string? token, string? expires = null)
    {
        if (!IsConfigured) return AccessCheck.NotConfigured;
        if (string.IsNullOrEmpty(token)) return AccessCheck.Missing;
        if (options.Value.Tokens.TryGetValue(login, out var listed) && listed.Length > 0 && LinkTokens.Matches(token, listed)) return AccessCheck.Granted;
        var key = options.Value.SigningKey;
        if (!LinkTokens.IsUsableKey(key)) return AccessCheck.Wrong;
        return LinkTokens.Check(key!, Value(login), token, expires, time.GetUtcNow(), options.Value.LinkLifetime) switch
        {
            LinkCheck.Valid => AccessCheck.Granted,
            LinkCheck.Expired => AccessCheck.Expired,
            _ => AccessCheck.Wrong,
        };
    }

    /// <summary>The cookie's value for a link that opened the page: <c>exp.token</c>, or the token alone without an expiry.</summary>
    public static string CookieValue(string token, string? expires) => string.IsNullOrEmpty(expires) ? token : expires + "." + token;

    /// <summary>The token and expiry a cookie set by <see cref="CookieValue"/> holds (a token has no '.').</summary>
    public static (string? Token, string? Expires) FromCookie(string? value)
    {
        if (string.IsNullOrEmpty(value)) return (null, null);
        var dot = value.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (value, null) : (value[(dot + 1)..], value[..dot]);
    }

    /// <summary>How long the cookie is kept: <see cref="CookieMaxAge"/>, cut to the link's expiry when it has one.</summary>
    public TimeSpan CookieLifetime(string? expires)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)) return CookieMaxAge;
        var left = TimeSpan.FromSeconds(Math.Max(0, exp - time.GetUtcNow().ToUnixTimeSeconds()));
        return left < CookieMaxAge ? left : CookieMaxAge;
    }

    private static string Value(string login) => "agent:" + login;
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
    /// <summary>The link is past its expiry (or from before links expired): 403, saying so.</summary>
    Expired,
}
