using System.Text;

namespace FunctionsIvr.Ivr;

/// <summary>Turns a configured Session key into HMAC key bytes: base64 when it decodes to enough bytes, else the UTF-8 text.</summary>
internal static class SessionKeyMaterial
{
    public const int MinBytes = 16;

    public static byte[] FromSetting(string setting)
    {
        var trimmed = setting.Trim();
        var buffer = new byte[trimmed.Length];
        if (Convert.TryFromBase64String(trimmed, buffer, out var written) && written >= MinBytes)
        {
            return buffer[..written];
        }

        return Encoding.UTF8.GetBytes(trimmed);
    }
}
