namespace FunctionsIvr.Escalations;

/// <summary>
/// A situation the phone could not resolve, for a person to pick up: the body of a message on the
/// <c>escalations</c> queue. It carries the whole context so the ticket, e-mail or WhatsApp message can be written
/// without another lookup. <see cref="CallerNumber"/> travels in full (the queue is internal); renderings mask it
/// per <see cref="EscalationOptions.CallerNumberDisplay"/>.
/// </summary>
public sealed record Escalation
{
    /// <summary>Stable for one situation (see <see cref="EscalationMessages.StableId"/>): the queue MessageId, the
    /// ticket idempotency key and the e-mail Message-ID, so a repeat is recognised everywhere.</summary>
    public required string EscalationId { get; init; }

    public required EscalationReason Reason { get; init; }

    /// <summary>Free text: what exactly went wrong (error text, transfer results, dead-letter reason).</summary>
    public string? Detail { get; init; }

    public string? CallId { get; init; }
    public string? CallerNumber { get; init; }
    public string? ContactId { get; init; }
    public string? ContactName { get; init; }
    public string? Company { get; init; }

    /// <summary>The ERP's customer segment, e.g. <c>VIP</c>; raises the ticket priority.</summary>
    public string? Segment { get; init; }

    /// <summary>The flow step the call was in, e.g. <c>transfer_queue</c>.</summary>
    public string? Step { get; init; }
    public string? OrderId { get; init; }
    public string? TransactionId { get; init; }
    public DateTimeOffset? CallStartedAt { get; init; }
    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>Absolute, or relative (<c>/calls/{id}</c>) to <see cref="EscalationOptions.PublicBaseUrl"/>;
    /// when empty the link is built from <see cref="CallId"/>.</summary>
    public string? CallLogUrl { get; init; }

    /// <summary>The sales rep or account manager to tell; null sends the ticket to the team.</summary>
    public EscalationRecipient? Recipient { get; init; }
    public string? Notes { get; init; }
}

public enum EscalationReason
{
    Other,
    /// <summary>A transfer to an agent and the team queue rang out.</summary>
    NobodyAnswered,
    CallbackRequested,
    /// <summary>An order accepted on the phone could not be committed in the ERP, for good.</summary>
    CommitFailed,
    /// <summary>An out-of-band message used up its deliveries.</summary>
    DeadLettered,
    BlockedCaller,
}

/// <summary>Who should act on the escalation, and how they like to be told.</summary>
public sealed record EscalationRecipient
{
    public required string Name { get; init; }
    public string? Email { get; init; }

    /// <summary>International format, digits with or without <c>+</c>, e.g. <c>+48 600 100 200</c>.</summary>
    public string? WhatsAppNumber { get; init; }
    public EscalationChannel PreferredChannel { get; init; } = EscalationChannel.Email;
}

public enum EscalationChannel
{
    Email,
    WhatsApp,
    /// <summary>As a preference: the ticket alone, no personal message.</summary>
    Ticket,
}
