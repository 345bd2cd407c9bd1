namespace FunctionsIvr.Escalations;

/// <summary>
/// One way of reaching people: a helpdesk ticket, an e-mail or a WhatsApp message, each with a local stand-in that
/// writes files. A seam at the process edge.
/// </summary>
public interface IEscalationChannel
{
    EscalationChannel Channel { get; }

    /// <summary>
    /// Delivers the escalation and returns a short receipt for notes and logs (ticket id, Message-ID, WhatsApp
    /// message id, file written). Throws <see cref="EscalationDeliveryException"/>: transient when trying again later
    /// may work, permanent when it will not.
    /// </summary>
    Task<string> DeliverAsync(EscalationDelivery delivery, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a channel sends: the escalation, to whom (an e-mail address or a WhatsApp number; for a ticket, the
/// assignee's e-mail), and notes on how it was delivered so far (e.g. a fallback).
/// </summary>
public sealed record EscalationDelivery(Escalation Escalation, string? To, string? ToName)
{
    public IReadOnlyList<string> Notes { get; init; } = [];
}
