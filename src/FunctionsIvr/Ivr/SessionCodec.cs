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

        var data = Sorted(session.Data);
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
        if (data.Length > 0)
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
        if (!TryReadFields(session, out var step, out var tries, out var steps, out var data, out var signature))
        {
            return SessionDecodeResult.Invalid(SessionInvalidReason.Malformed);
        }

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

        var decoded = new CallSession { Step = step, Tries = tries, Steps = steps, Data = ImmutableSortedDictionary.CreateRange(data) };
        return SessionDecodeResult.Valid(decoded, signedWithPreviousKey: !ReferenceEquals(key, _key));
    }

    private static bool TryReadFields(JsonElement session, out string step, out int tries, out int steps,
        out KeyValuePair<string, string>[] data, out byte[] signature)
    {
        step = "";
        tries = 0;
        steps = 0;
        data = [];
        signature = [];
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
            var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in values.EnumerateObject())
            {
                if (pair.Value.ValueKind != JsonValueKind.String || !pairs.TryAdd(pair.Name, pair.Value.GetString()!)) return false;
            }

            data = [.. pairs];
        }

        var sig = session.GetProperty("sig");
        if (sig.ValueKind != JsonValueKind.String) return false;
        // TryDecodeFromChars throws on characters outside the alphabet, so the text is checked first.
        var sigText = sig.GetString();
        if (!Base64Url.IsValid(sigText, out var length) || length != 2 * TagBytes) return false;
        var decoded = new byte[2 * TagBytes];
        if (!Base64Url.TryDecodeFromChars(sigText, decoded, out var written) || written != decoded.Length) return false;
        signature = decoded;
        return true;
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

    private static KeyValuePair<string, string>[] Sorted(ImmutableSortedDictionary<string, string> data) =>
        data.IsEmpty ? [] : data.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToArray();

    /// <summary>Both tags into <paramref name="destination"/>: content tag, then call tag. Data must be sorted by key (ordinal).</summary>
    private static void Sign(byte[] key, int version, string callId, string step, int tries, int steps,
        KeyValuePair<string, string>[] data, Span<byte> destination)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Canonical("content", version, null, step, tries, steps, data), mac);
        mac[..TagBytes].CopyTo(destination);
        HMACSHA256.HashData(key, Canonical("call", version, callId, step, tries, steps, data), mac);
        mac[..TagBytes].CopyTo(destination[TagBytes..]);
    }

    /// <summary>
    /// A JSON array: unambiguous (every string delimited and escaped) and independent of how the platform re-serialises
    /// the Session. The span is the thread's buffer: valid until the next canonical form on this thread.
    /// </summary>
    private static ReadOnlySpan<byte> Canonical(string purpose, int version, string? callId, string step, int tries, int steps,
        KeyValuePair<string, string>[] data)
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
