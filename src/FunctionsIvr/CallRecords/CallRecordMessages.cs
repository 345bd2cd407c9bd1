using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using FunctionsIvr.Hosting;
using FunctionsIvr.Work;

namespace FunctionsIvr.CallRecords;

/// <summary>The <c>call-records</c> queue's message format: JSON (web casing); Subject names the command.</summary>
public static partial class CallRecordMessages
{
    public const string OpenSubject = nameof(OpenCallRecord);
    public const string UpdateSubject = nameof(UpdateCallRecord);

    /// <summary>Service Bus limits MessageId to 128 characters.</summary>
    private const int MaxIdLength = 128;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Every call opens a record on its first callback: generated metadata, not reflection and emitted accessors, on
        // a cold instance's first call. Anything else as before.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(CallRecordJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>MessageId <c>open-{callId}</c>: one open per call, whatever repeats.</summary>
    public static WorkMessage ToWorkMessage(OpenCallRecord open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return Message(MessageId("open", open.CallId, ""), OpenSubject, open.CallId, JsonSerializer.Serialize(open, JsonOptions));
    }

    /// <summary>MessageId <c>update-{callId}-{number}</c>: a repeated callback sends the same number and is dropped as a duplicate.</summary>
    public static WorkMessage ToWorkMessage(UpdateCallRecord update, int number)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Message(MessageId("update", update.CallId, "-" + number.ToString(CultureInfo.InvariantCulture)), UpdateSubject, update.CallId,
            JsonSerializer.Serialize(update with { Number = number }, JsonOptions));
    }

    /// <exception cref="InvalidDataException">The body is not the command the subject names.</exception>
    /// <remarks>The exception is logged on every retry and kept as the dead letter's description: the message id, which holds the call id, is masked.</remarks>
    public static T Parse<T>(string? body, string messageId)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body ?? "", JsonOptions)
                   ?? throw new InvalidDataException($"Message {Redact.Id(messageId)}: the body is JSON null, not a {typeof(T).Name}.");
        }
        catch (JsonException e)
        {
            // JsonException names the path and position, never the values: safe to keep as the reason.
            throw new InvalidDataException($"Message {Redact.Id(messageId)}: the body is not a {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static WorkMessage Message(string messageId, string subject, string callId, string body) => new()
    {
        QueueName = QueueNames.CallRecords,
        MessageId = messageId,
        Subject = subject,
        Body = body,
        CorrelationId = callId,
    };

    private static string MessageId(string prefix, string callId, string suffix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        var id = $"{prefix}-{callId}{suffix}";
        if (id.Length <= MaxIdLength) return id;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callId)))[..32];
        return $"{prefix}-{hash}{suffix}";
    }

    [JsonSerializable(typeof(OpenCallRecord))]
    [JsonSerializable(typeof(UpdateCallRecord))]
    private sealed partial class CallRecordJsonContext : JsonSerializerContext;
}
