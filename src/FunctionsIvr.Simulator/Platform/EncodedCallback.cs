
namespace FunctionsIvr.Simulator.Platform;

/// <summary>A callback as bytes on the wire; kept so a repeated callback is byte-for-byte the same request.</summary>
public sealed record EncodedCallback(Callback Callback, CallbackEncoding Encoding, byte[] Body, string ContentType)
{
    public const string JsonContentType = "application/json";
    public const string FormContentType = "application/x-www-form-urlencoded";

    public static EncodedCallback Encode(Callback callback, CallbackEncoding encoding)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return encoding switch
        {
            CallbackEncoding.Json => new(callback, encoding, callback.ToEnvelopeJson(), JsonContentType),
            CallbackEncoding.Bare => new(callback, encoding, callback.ToRequestJson(), JsonContentType),
            CallbackEncoding.Form => new(callback, encoding,
                System.Text.Encoding.UTF8.GetBytes("request=" + Uri.EscapeDataString(System.Text.Encoding.UTF8.GetString(callback.ToRequestJson()))),
                FormContentType),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown callback encoding."),
        };
    }
}
