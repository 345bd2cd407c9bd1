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

    /// <summary>
    /// Whether <paramref name="signingKey"/> can sign links. In Azure the keys are Key Vault references; when the vault
    /// has no such secret, App Service hands the app the reference's own text, which names the vault and the secret
    /// (anyone can rebuild it from the app's host name), so a key that is still a reference opens nothing.
    /// </summary>
    /// <remarks>Leading white space does not hide a reference: the keys are read trimmed.</remarks>
    public static bool IsUsableKey(string? signingKey) =>
        !string.IsNullOrWhiteSpace(signingKey) && !signingKey.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    /// <summary>Compares in constant time, so the answer's timing tells nothing about a guessed token.</summary>
    public static bool Matches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
