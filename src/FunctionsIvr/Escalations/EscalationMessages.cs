using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FunctionsIvr.Work;

namespace FunctionsIvr.Escalations;

/// <summary>The <c>escalations</c> queue's message format: JSON (web casing, enums as names).</summary>
public static class EscalationMessages
{
    public const string Subject = "Escalation";

    /// <summary>Service Bus limits MessageId to 128 characters.</summary>
    private const int MaxIdLength = 128;

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The message for the escalation: MessageId = EscalationId (duplicate detection drops a repeat), CorrelationId =
    /// CallId (so the call's log lines and the escalation correlate).
    /// </summary>
    public static WorkMessage ToWorkMessage(Escalation escalation)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        ArgumentException.ThrowIfNullOrWhiteSpace(escalation.EscalationId);
        return new WorkMessage
        {
            QueueName = QueueNames.Escalations,
            MessageId = escalation.EscalationId,
            Subject = Subject,
            Body = JsonSerializer.Serialize(escalation, JsonOptions),
            CorrelationId = escalation.CallId,
            ApplicationProperties = new Dictionary<string, string> { ["Reason"] = escalation.Reason.ToString() },
        };
    }

    /// <summary>Reads a message body; throws <see cref="MalformedEscalationException"/> when it is not an escalation.</summary>
    public static Escalation Parse(string? body, string messageId)
    {
        if (string.IsNullOrWhiteSpace(body)) throw new MalformedEscalationException(messageId, "the body is empty");
        Escalation? escalation;
        try
        {
            escalation = JsonSerializer.Deserialize<Escalation>(body, JsonOptions);
        }
        catch (JsonException e)
        {
            // JsonException names the path and position, never the values: safe to keep as the reason.
            throw new MalformedEscalationException(messageId, e.Message, e);
        }

        if (escalation is null) throw new MalformedEscalationException(messageId, "the body is JSON null");
        if (string.IsNullOrWhiteSpace(escalation.EscalationId))
            throw new MalformedEscalationException(messageId, "escalationId is empty");
        if (escalation.Recipient is { } recipient && string.IsNullOrWhiteSpace(recipient.Name))
            throw new MalformedEscalationException(messageId, "recipient.name is empty");
        return escalation;
    }

    /// <summary>
    /// An id that is the same every time the same situation is escalated, e.g.
    /// <c>StableId(EscalationReason.CommitFailed, transactionId)</c> or <c>StableId(NobodyAnswered, callId)</c>.
    /// </summary>
    public static string StableId(EscalationReason reason, string businessKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(businessKey);
        var prefix = ReasonSlug(reason);
        var id = $"{prefix}-{businessKey.Trim()}";
        if (id.Length <= MaxIdLength) return id;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(businessKey)))[..32];
        return $"{prefix}-{hash}";
    }

    /// <summary>The reason in kebab case, e.g. <c>nobody-answered</c>: id prefix and ticket tag.</summary>
    public static string ReasonSlug(EscalationReason reason) => reason switch
    {
        EscalationReason.NobodyAnswered => "nobody-answered",
        EscalationReason.CallbackRequested => "callback-requested",
        EscalationReason.CommitFailed => "commit-failed",
        EscalationReason.DeadLettered => "dead-lettered",
        EscalationReason.BlockedCaller => "blocked-caller",
        _ => "other",
    };
}
