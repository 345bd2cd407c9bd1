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
