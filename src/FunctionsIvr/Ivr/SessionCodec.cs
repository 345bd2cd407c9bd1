using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Ivr;

/// <summary>
/// Turns a <see cref="CallSession"/> into the small signed object the platform carries between callbacks
/// (<c>{"v":1,"step":"menu","tries":1,"n":3,"d":{…},"sig":"…"}</c>) and back.
/// <para>
/// <c>sig</c> holds two HMAC-SHA256 tags of 16 bytes each, over canonical forms that include the version: one over
/// the content alone, one over the content and the UniqueCallId. The first tells an edited Session (Tampered) from
/// a genuine one replayed into another call (OtherCall); the second binds the Session to its call.
/// </para>
/// </summary>
public sealed class SessionCodec
{
    private const string Domain = "FunctionsIvr.Session";
    private const int TagBytes = 16;

    // Every callback signs, verifies and writes a Session: the JSON writers are kept per thread.
    [ThreadStatic] private static ThreadJsonWriter? t_session;
    [ThreadStatic] private static ThreadJsonWriter? t_canonical;
    [ThreadStatic] private static HMACSHA256? t_mac;
    [ThreadStatic] private static byte[]? t_macKey;

    /// <summary>Base64url of two tags is 43 characters; a few more are read so that a longer text is refused, not cut.</summary>
    private const int MaxSignatureTextBytes = 64;

    private readonly byte[] _key;
    private readonly byte[]? _previousKey;
    private readonly int _maxBytes;
    private readonly ILogger<SessionCodec> _logger;

    public SessionCodec(IOptions<IvrOptions> options, ILogger<SessionCodec> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        _logger = logger;
        _maxBytes = settings.SessionMaxBytes;

        if (string.IsNullOrWhiteSpace(settings.SessionKey))
        {
            // Options validation allows this in Development only.
            _key = RandomNumberGenerator.GetBytes(32);
            Log.SessionKeyGenerated(logger);
        }
        else
        {
            _key = SessionKeyMaterial.FromSetting(settings.SessionKey);
        }

        _previousKey = string.IsNullOrWhiteSpace(settings.PreviousSessionKey) ? null : SessionKeyMaterial.FromSetting(settings.PreviousSessionKey);
    }

    /// <exception cref="SessionTooLargeException">The encoded Session exceeds <c>Ivr:SessionMaxBytes</c>.</exception>
    public JsonObject Encode(CallSession session, string callId) => JsonNode.Parse(EncodeToUtf8(session, callId))!.AsObject();

    /// <summary>The signed Session as the response carries it: compact UTF-8 JSON, written once.</summary>
    /// <exception cref="SessionTooLargeException">The encoded Session exceeds <c>Ivr:SessionMaxBytes</c>.</exception>
    public byte[] EncodeToUtf8(CallSession session, string callId)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(session.Step);
        ArgumentNullException.ThrowIfNull(callId);

        var data = Ordinal(session.Data);
        Span<byte> signature = stackalloc byte[2 * TagBytes];
        Sign(_key, CallSession.CurrentVersion, callId, session.Step, session.Tries, session.Steps, data, signature);
        Span<byte> signatureText = stackalloc byte[Base64Url.GetEncodedLength(2 * TagBytes)];
        Base64Url.EncodeToUtf8(signature, signatureText);

        var writer = ThreadJsonWriter.For(ref t_session);
        writer.Json.WriteStartObject();
        writer.Json.WriteNumber("v", CallSession.CurrentVersion);
        writer.Json.WriteString("step", session.Step);
        writer.Json.WriteNumber("tries", session.Tries);
        writer.Json.WriteNumber("n", session.Steps);
        if (!data.IsEmpty)
        {
            writer.Json.WriteStartObject("d");
            foreach (var (key, value) in data) writer.Json.WriteString(key, value);
            writer.Json.WriteEndObject();
        }

        writer.Json.WriteString("sig"u8, signatureText);
        writer.Json.WriteEndObject();
        writer.Json.Flush();

        var size = writer.Buffer.WrittenCount;
        if (size > _maxBytes) throw new SessionTooLargeException(size, _maxBytes);
        return writer.Buffer.WrittenSpan.ToArray();
    }

    /// <summary>Never throws on what the platform sent: every problem is a <see cref="SessionDecodeStatus.Invalid"/> result.</summary>
    public SessionDecodeResult Decode(JsonElement? session, string callId)
    {
        ArgumentNullException.ThrowIfNull(callId);
        if (session is null || session.Value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return SessionDecodeResult.Missing;
        }

        SessionDecodeResult result;
        try
        {
            result = DecodeCore(session.Value, callId);
        }
        catch (InvalidOperationException)
        {
            // A string holding an unpaired surrogate escape cannot be read as text.
            result = SessionDecodeResult.Invalid(SessionInvalidReason.Malformed);
        }

        if (result.Reason is { } reason)
        {
            Log.SessionRejected(_logger, Redact.Id(callId), reason);
        }
        else if (result.SignedWithPreviousKey)
        {
            Log.SessionSignedWithPreviousKey(_logger, Redact.Id(callId));
        }

        return result;
    }

    private SessionDecodeResult DecodeCore(JsonElement session, string callId)
    {
        if (session.ValueKind != JsonValueKind.Object) return SessionDecodeResult.Invalid(SessionInvalidReason.Malformed);
        // Measured as written (compact) only when the text as received is over the limit: whitespace or escapes the
        // platform changed cannot turn a Session we signed into one over the limit.
        if (JsonMarshal.GetRawUtf8Value(session).Length > _maxBytes && CompactSize(session) > _maxBytes)
        {
            return SessionDecodeResult.Invalid(SessionInvalidReason.TooLarge);
        }

        // The version decides how the rest reads, so it is checked before the shape.
        if (!session.TryGetProperty("v", out var version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v))
        {
            return SessionDecodeResult.Invalid(SessionInvalidReason.Malformed);
        }

        if (v != CallSession.CurrentVersion) return SessionDecodeResult.Invalid(SessionInvalidReason.UnknownVersion);
        if (!TryReadFields(session, out var step, out var tries, out var steps, out var data))
        {
            return SessionDecodeResult.Invalid(SessionInvalidReason.Malformed);
        }

        Span<byte> signature = stackalloc byte[2 * TagBytes];
        if (!TryReadSignature(session, signature)) return SessionDecodeResult.Invalid(SessionInvalidReason.Malformed);

        Span<byte> expected = stackalloc byte[2 * TagBytes];
        var key = _key;
        Sign(key, v, callId, step, tries, steps, data, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..TagBytes], signature[..TagBytes]) && _previousKey is not null)
        {
            key = _previousKey;
            Sign(key, v, callId, step, tries, steps, data, expected);
        }

        if (!CryptographicOperations.FixedTimeEquals(expected[..TagBytes], signature[..TagBytes]))
        {
            return SessionDecodeResult.Invalid(SessionInvalidReason.Tampered);
        }

        if (!CryptographicOperations.FixedTimeEquals(expected[TagBytes..], signature[TagBytes..]))
        {
            return SessionDecodeResult.Invalid(SessionInvalidReason.OtherCall);
        }

        var decoded = new CallSession { Step = step, Tries = tries, Steps = steps, Data = data };
        return SessionDecodeResult.Valid(decoded, signedWithPreviousKey: !ReferenceEquals(key, _key));
    }

    private static bool TryReadFields(JsonElement session, out string step, out int tries, out int steps,
        out ImmutableSortedDictionary<string, string> data)
    {
        step = "";
        tries = 0;
        steps = 0;
        data = CallSession.EmptyData;
        // Each known key once, "d" optional, nothing else.
        var seen = KeyFlags.None;
        foreach (var property in session.EnumerateObject())
        {
            var key = KeyFlagOf(property);
            if (key == KeyFlags.None || (seen & key) != 0) return false;
            seen |= key;
        }

        if ((seen & KeyFlags.Required) != KeyFlags.Required) return false;

        var stepElement = session.GetProperty("step");
        if (stepElement.ValueKind != JsonValueKind.String || stepElement.GetString() is not { Length: > 0 } stepText) return false;
        step = stepText;

        if (!TryGetInt(session.GetProperty("tries"), out tries) || !TryGetInt(session.GetProperty("n"), out steps)) return false;

        if (session.TryGetProperty("d", out var values))
        {
            if (values.ValueKind != JsonValueKind.Object) return false;
            // Built in place in ordinal order: the order the signature covers and the Session is written in.
            var pairs = CallSession.EmptyData.ToBuilder();
            foreach (var pair in values.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String || !pairs.TryAdd(pair.Name, pair.Value.GetString()!)) return false;
            }

            data = pairs.ToImmutable();
        }

        return true;
    }

    /// <summary>The two tags from <c>sig</c> (base64url text, read without making a string of it).</summary>
    private static bool TryReadSignature(JsonElement session, Span<byte> signature)
    {
        var sig = session.GetProperty("sig");
        if (sig.ValueKind != JsonValueKind.String) return false;
        Span<byte> text = stackalloc byte[MaxSignatureTextBytes];
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(sig));
        if (!reader.Read() || reader.ValueSpan.Length > MaxSignatureTextBytes) return false;
        var length = reader.CopyString(text);
        // DecodeFromUtf8 stops at the first byte outside the alphabet, so a Session with anything else is refused.
        return Base64Url.DecodeFromUtf8(text[..length], signature, out var consumed, out var written) == OperationStatus.Done
               && consumed == length && written == signature.Length;
    }

    [Flags]
    private enum KeyFlags
    {
        None = 0,
        Version = 1,
        Step = 2,
        Tries = 4,
        Steps = 8,
        Data = 16,
        Signature = 32,
        Required = Version | Step | Tries | Steps | Signature,
    }

    private static KeyFlags KeyFlagOf(JsonProperty property) =>
        property.NameEquals("v"u8) ? KeyFlags.Version
        : property.NameEquals("step"u8) ? KeyFlags.Step
        : property.NameEquals("tries"u8) ? KeyFlags.Tries
        : property.NameEquals("n"u8) ? KeyFlags.Steps
        : property.NameEquals("d"u8) ? KeyFlags.Data
        : property.NameEquals("sig"u8) ? KeyFlags.Signature
        : KeyFlags.None;

    private static bool TryGetInt(JsonElement element, out int value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out value);
    }

    /// <summary>The values in ordinal key order, the order the signature covers (a Session built elsewhere may sort otherwise).</summary>
    private static ImmutableSortedDictionary<string, string> Ordinal(ImmutableSortedDictionary<string, string> data) =>
        ReferenceEquals(data.KeyComparer, StringComparer.Ordinal) ? data : data.WithComparers(StringComparer.Ordinal);

    /// <summary>Both tags into <paramref name="destination"/>: content tag, then call tag. Data must be sorted by key (ordinal).</summary>
    private void Sign(byte[] key, int version, string callId, string step, int tries, int steps,
        ImmutableSortedDictionary<string, string> data, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(key, Canonical("content", version, null, step, tries, steps, data), mac);
        mac[..TagBytes].CopyTo(destination);
        Mac(key, Canonical("call", version, callId, step, tries, steps, data), mac);
        mac[..TagBytes].CopyTo(destination[TagBytes..]);
    }

    /// <summary>
    /// HMAC-SHA256 with a keyed instance kept per thread for the current key: a one-shot HMAC sets the key up again on
    /// every call, and a callback computes four. Any other key (the previous one, during a rotation) goes one-shot.
    /// </summary>
    private void Mac(byte[] key, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (!ReferenceEquals(key, _key))
        {
            HMACSHA256.HashData(key, source, destination);
            return;
        }

        var mac = t_mac;
        if (mac is null || !ReferenceEquals(t_macKey, key))
        {
            mac?.Dispose();
            mac = t_mac = new HMACSHA256(key);
            t_macKey = key;
        }

        if (!mac.TryComputeHash(source, destination, out _)) throw new CryptographicException("HMAC destination too small.");
    }

    /// <summary>
    /// A JSON array: unambiguous (every string delimited and escaped) and independent of how the platform re-serialises
    /// the Session. The span is the thread's buffer: valid until the next canonical form on this thread.
    /// </summary>
    private static ReadOnlySpan<byte> Canonical(string purpose, int version, string? callId, string step, int tries, int steps,
        ImmutableSortedDictionary<string, string> data)
    {
        var writer = ThreadJsonWriter.For(ref t_canonical).Json;
        writer.WriteStartArray();
        writer.WriteStringValue(Domain);
        writer.WriteStringValue(purpose);
        writer.WriteNumberValue(version);
        if (callId is not null) writer.WriteStringValue(callId);
        writer.WriteStringValue(step);
        writer.WriteNumberValue(tries);
        writer.WriteNumberValue(steps);
        writer.WriteStartArray();
        foreach (var (key, value) in data)
        {
            writer.WriteStringValue(key);
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
        writer.WriteEndArray();
        writer.Flush();
        return t_canonical!.Buffer.WrittenSpan;
    }

    /// <summary>Size as the response writer emits it (compact, same escaping), whatever whitespace the platform added.</summary>
    private static int CompactSize(JsonElement element)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) element.WriteTo(writer);
        return buffer.WrittenCount;
    }
}
