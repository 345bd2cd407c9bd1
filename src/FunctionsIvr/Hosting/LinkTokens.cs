using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Tokens derived from a signing key and what they open (an agent's login, a call id): base64url(HMAC-SHA256).
/// Nothing is stored per token; a token opens only the value it was derived from. A link carries its expiry
/// (<c>exp</c>, Unix seconds) signed together with the value, so a leaked link stops opening and a changed <c>exp</c>
/// opens nothing.
/// </summary>
public static class LinkTokens
{
    /// <summary>The query parameter of a link's expiry, Unix seconds.</summary>
    public const string ExpiryParameter = "exp";

    /// <summary>The query parameter of a link's token.</summary>
    public const string TokenParameter = "t";

    /// <summary>The range start-up accepts for a section's <c>LinkLifetime</c>.</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromHours(1);

    /// <inheritdoc cref="MinimumLifetime"/>
    public static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(90);

    /// <summary>How far a link's expiry may lie beyond the lifetime, for the clocks of the instances that made and check it.</summary>
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);

    public static string Derive(string signingKey, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(value));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The token of a link that opens <paramref name="value"/> until <paramref name="expires"/> (Unix seconds):
    /// the HMAC of <c>value + "\n" + expires</c>.</summary>
    public static string Derive(string signingKey, string value, long expires) =>
        Derive(signingKey, value + "\n" + expires.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>?exp=…&amp;t=…</c>: the query of a link that opens <paramref name="value"/> until <paramref name="expires"/>.</summary>
    public static string Query(string signingKey, string value, DateTimeOffset expires)
    {
        var exp = expires.ToUnixTimeSeconds();
        return $"?{ExpiryParameter}={exp.ToString(CultureInfo.InvariantCulture)}&{TokenParameter}={Derive(signingKey, value, exp)}";
    }

    /// <summary>
    /// Whether a link's <paramref name="token"/> and <paramref name="expires"/> open <paramref name="value"/> at
    /// <paramref name="now"/>. The token is checked first, so a forged link never learns whether it would have expired.
    /// Refused as expired: past its expiry; signed for longer than <paramref name="lifetime"/> from now (made by hand
    /// for longer, or before the lifetime was shortened); or a link from before links expired (no <c>exp</c>), which
    /// is refused like one whose key was rotated.
    /// </summary>
    public static LinkCheck Check(string signingKey, string value, string? token, string? expires, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        if (string.IsNullOrEmpty(token)) return LinkCheck.Missing;
        if (string.IsNullOrEmpty(expires)) return Matches(token, Derive(signingKey, value)) ? LinkCheck.Expired : LinkCheck.Wrong;
        if (!TryParseExpiry(expires, out var exp) || !Matches(token, Derive(signingKey, value, exp))) return LinkCheck.Wrong;
        var nowSeconds = now.ToUnixTimeSeconds();
        if (nowSeconds >= exp || exp - nowSeconds > (long)(lifetime + ClockSlack).TotalSeconds) return LinkCheck.Expired;
        return LinkCheck.Valid;
    }

    /// <summary>Digits only, as <see cref="Query"/> writes them; at most 12 (year 9999 has 12), so nothing overflows.</summary>
    private static bool TryParseExpiry(string text, out long expires)
    {
        expires = 0;
        return text.Length <= 12 && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out expires);
    }

    /// <summary>
    /// The start-up checks of a section that signs links (<c>Agents</c>, <c>Support</c>): its signing key long enough,
    /// its link lifetime within <see cref="MinimumLifetime"/> to <see cref="MaximumLifetime"/>.
    /// </summary>
    public static OptionsBuilder<T> ValidateLinkSettings<T>(
        this OptionsBuilder<T> options, string section, Func<T, string?> signingKey, Func<T, TimeSpan> linkLifetime)
        where T : class =>
        options
            .Validate(o => IsLongEnough(signingKey(o)),
                $"{section}:SigningKey (env {section}__SigningKey) must be at least {MinimumKeyLength} characters: 32 random bytes, base64.")
            .Validate(o => linkLifetime(o) >= MinimumLifetime && linkLifetime(o) <= MaximumLifetime,
                $"{section}:LinkLifetime (env {section}__LinkLifetime) must be between 01:00:00 and 90.00:00:00.");

    /// <summary>
    /// Whether <paramref name="signingKey"/> can sign links. In Azure the keys are Key Vault references; when the vault
    /// has no such secret, App Service hands the app the reference's own text, which names the vault and the secret
    /// (anyone can rebuild it from the app's host name), so a key that is still a reference opens nothing.
    /// </summary>
    /// <remarks>Leading white space does not hide a reference: the keys are read trimmed.</remarks>
    public static bool IsUsableKey(string? signingKey) =>
        !string.IsNullOrWhiteSpace(signingKey) && !signingKey.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The shortest signing key start-up accepts. One link gives away a value and its token, so a short key could be
    /// found offline by trying keys, and with it a token for every call or login. Generate 32 random bytes, base64.
    /// </summary>
    public const int MinimumKeyLength = 16;

    /// <summary>True when the key is unset, still a Key Vault reference (it opens nothing then), or long enough.</summary>
    public static bool IsLongEnough(string? signingKey) =>
        !IsUsableKey(signingKey) || signingKey!.Trim().Length >= MinimumKeyLength;

    /// <summary>Compares in constant time, so the answer's timing tells nothing about a guessed token.</summary>
    public static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}

/// <summary>What <see cref="LinkTokens.Check"/> found.</summary>
public enum LinkCheck
{
    Valid,

    /// <summary>No token.</summary>
    Missing,

    /// <summary>A token that does not open this value (another one's, forged, or its <c>exp</c> changed).</summary>
    Wrong,

    /// <summary>A genuine link past its time (or from before links expired).</summary>
    Expired,
}
