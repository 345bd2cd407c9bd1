using System.Security.Cryptography;
using System.Text;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Tokens derived from a signing key and what they open (an agent's login, a call id): base64url(HMAC-SHA256).
/// Nothing is stored per token; a token opens only the value it was derived from.
/// </summary>
public static class LinkTokens
{
    public static string Derive(string signingKey, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingKey);
        ArgumentNullException.ThrowIfNull(value);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.UTF8.GetBytes(value));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Compares in constant time, so the answer's timing tells nothing about a guessed token.</summary>
    public static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
