using System.Globalization;
using System.Text.Json.Serialization;

namespace FunctionsIvr.Escalations;

/// <summary>
/// The generic JSON ticket POSTed to the helpdesk (and written to the local tickets folder). Most helpdesks map
/// these fields directly or through a small automation: title, description, priority, requester, assignee, tags,
/// custom fields carrying the context for filters and reports.
/// </summary>
public sealed record HelpdeskTicket
{
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required TicketPriority Priority { get; init; }

    /// <summary>The customer on the phone.</summary>
    public required HelpdeskPerson Requester { get; init; }

    /// <summary>The sales rep or account manager, or the team.</summary>
    public HelpdeskPerson? Assignee { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public IReadOnlyDictionary<string, string> CustomFields { get; init; } = new Dictionary<string, string>();

    /// <summary>The EscalationId, also sent as the Idempotency-Key header.</summary>
    public required string ExternalId { get; init; }

    public static HelpdeskTicket From(EscalationDelivery delivery, EscalationText text)
    {
        var escalation = delivery.Escalation;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) fields[name] = value.Trim();
        }

        static string? Iso(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        Add("escalationId", escalation.EscalationId);
        Add("reason", escalation.Reason.ToString());
        Add("detail", escalation.Detail);
        Add("callId", escalation.CallId);
        Add("callerNumber", text.CallerNumber(escalation));
        Add("contactId", escalation.ContactId);
        Add("contactName", escalation.ContactName);
        Add("company", escalation.Company);
        Add("segment", escalation.Segment);
        Add("step", escalation.Step);
        Add("orderId", escalation.OrderId);
        Add("transactionId", escalation.TransactionId);
        Add("callStartedAt", Iso(escalation.CallStartedAt));
        Add("raisedAt", Iso(escalation.RaisedAt));
        Add("callLogUrl", text.CallLogUrl(escalation));
        Add("recipient", escalation.Recipient?.Name);
        Add("recipientChannel", escalation.Recipient is { } r ? EscalationText.ChannelName(r.PreferredChannel) : null);
        Add("delivery", delivery.Notes.Count == 0 ? null : string.Join(" | ", delivery.Notes));

        var tags = new List<string> { "functionsivr", EscalationMessages.ReasonSlug(escalation.Reason) };
        if (!string.IsNullOrWhiteSpace(escalation.Segment)) tags.Add("segment-" + escalation.Segment.Trim().ToLowerInvariant().Replace(' ', '-'));

        return new HelpdeskTicket
        {
            Title = text.Subject(escalation),
            Description = text.PlainText(escalation, delivery.Notes),
            Priority = PriorityFor(escalation),
            Requester = new HelpdeskPerson
            {
                Name = escalation.ContactName ?? escalation.Company ?? "Unknown caller",
                Company = escalation.Company,
                Phone = text.CallerNumber(escalation),
            },
            Assignee = string.IsNullOrWhiteSpace(delivery.To) ? null : new HelpdeskPerson { Name = delivery.ToName ?? delivery.To, Email = delivery.To },
            Tags = tags,
            CustomFields = fields,
            ExternalId = escalation.EscalationId,
        };
    }

    /// <summary>
    /// Orders at risk (commit failed, dead-lettered work) are high, call backs normal, blocked callers low; a VIP
    /// segment raises any of them one level.
    /// </summary>
    public static TicketPriority PriorityFor(Escalation escalation)
    {
        var priority = escalation.Reason switch
        {
            EscalationReason.CommitFailed or EscalationReason.DeadLettered => TicketPriority.High,
            EscalationReason.BlockedCaller => TicketPriority.Low,
            _ => TicketPriority.Normal,
        };
        var vip = string.Equals(escalation.Segment?.Trim(), "VIP", StringComparison.OrdinalIgnoreCase);
        return vip && priority < TicketPriority.Urgent ? priority + 1 : priority;
    }
}

public sealed record HelpdeskPerson
{
    public required string Name { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public string? Company { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<TicketPriority>))]
public enum TicketPriority
{
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("normal")] Normal,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("urgent")] Urgent,
}
