using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Escalations;

/// <summary>
/// Delivers one escalation: first tells the recipient on their preferred channel (e-mail or WhatsApp), falling back to
/// the other one when it fails for good (or, free-text WhatsApp, cannot be confirmed), then creates the ticket, the record of truth for support, which says how the
/// recipient was told. Without a recipient the ticket goes to the team.
/// <para>
/// Idempotent per (EscalationId, channel) within the process: a channel that delivered (or failed for good) is not
/// tried again when the message is redelivered after a later step failed. Across processes, repeats are recognisable
/// rather than prevented: the helpdesk gets the same Idempotency-Key, e-mails the same Message-ID, local files the same
/// file name.
/// </para>
/// </summary>
public sealed class EscalationDispatcher
{
    /// <summary>Enough for every escalation of a busy day; the oldest are forgotten first.</summary>
    private const int RememberedOutcomes = 10_000;

    private readonly Dictionary<EscalationChannel, IEscalationChannel> _channels = [];
    private readonly EscalationOptions _options;
    private readonly ILogger<EscalationDispatcher> _logger;
    private readonly ConcurrentDictionary<(string EscalationId, EscalationChannel Channel), ChannelOutcome> _outcomes = new();
    private readonly ConcurrentQueue<(string EscalationId, EscalationChannel Channel)> _remembered = new();

    public EscalationDispatcher(IEnumerable<IEscalationChannel> channels, IOptions<EscalationOptions> options, ILogger<EscalationDispatcher> logger)
    {
        // The last registration of a channel wins, so a host can replace one.
        foreach (var channel in channels) _channels[channel.Channel] = channel;
        _options = options.Value;
        _logger = logger;
    }

    /// <param name="deliveryCount">The queue's delivery count (1 on the first attempt); from
    /// <see cref="EscalationOptions.FallbackAfterDeliveries"/> on, a transient failure falls back to a channel not yet
    /// tried, and a few deliveries before <see cref="EscalationOptions.MaxDeliveryCount"/> it is given up so the ticket is
    /// still created, with tries to spare.</param>
    /// <exception cref="EscalationDeliveryException">Transient: try again later. Permanent: the ticket was rejected.</exception>
    public async Task<EscalationDispatchResult> DispatchAsync(Escalation escalation, int deliveryCount = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        var maskedId = Redact.Id(escalation.EscalationId);
        var notes = new List<string>();
        EscalationChannel? notifiedBy = null;

        var recipient = escalation.Recipient;
        if (recipient is null)
        {
            notes.Add(_options.TeamEmail is { Length: > 0 } team
                ? $"No sales rep or account manager on record; the ticket is assigned to {_options.TeamName} <{team}>."
                : "No sales rep or account manager on record, and Escalations:TeamEmail is not set; the ticket is unassigned.");
        }
        else if (recipient.PreferredChannel == EscalationChannel.Ticket)
        {
            notes.Add($"{recipient.Name} prefers tickets; no e-mail or WhatsApp message was sent.");
        }
        else
        {
            notifiedBy = await NotifyAsync(escalation, recipient, deliveryCount, notes, cancellationToken);
            if (notifiedBy is null) Log.NobodyNotified(_logger, maskedId);
        }

        string? assignee = _options.TeamEmail, assigneeName = _options.TeamName;
        if (recipient is { Email.Length: > 0 })
        {
            (assignee, assigneeName) = (recipient.Email, recipient.Name);
        }
        else if (recipient is not null)
        {
            notes.Add(_options.TeamEmail is { Length: > 0 } team
                ? $"{recipient.Name} has no e-mail address; the ticket is assigned to {_options.TeamName} <{team}>."
                : $"{recipient.Name} has no e-mail address, and Escalations:TeamEmail is not set; the ticket is unassigned.");
        }

        var ticket = await DeliverTicketAsync(new EscalationDelivery(escalation, assignee, assigneeName) { Notes = notes.ToArray() }, deliveryCount, cancellationToken);
        Log.Dispatched(_logger, maskedId, escalation.Reason, ticket, notifiedBy is { } by ? EscalationText.ChannelName(by) : "nobody");
        return new EscalationDispatchResult(ticket, notifiedBy, notes);
    }

    private async Task<EscalationChannel?> NotifyAsync(
        Escalation escalation, EscalationRecipient recipient, int deliveryCount, List<string> notes, CancellationToken cancellationToken)
    {
        var preferred = recipient.PreferredChannel;
        var fallback = preferred == EscalationChannel.Email ? EscalationChannel.WhatsApp : EscalationChannel.Email;

        var first = await TryNotifyAsync(escalation, recipient, preferred, fallback, deliveryCount, notes, "", cancellationToken);
        notes.Add(first.Note);
        if (first.Delivered && !IsUnconfirmed(preferred)) return preferred;

        var second = await TryNotifyAsync(
            escalation, recipient, fallback, null, deliveryCount, notes, first.Delivered ? " as well" : " instead", cancellationToken);
        notes.Add(second.Note);
        if (!second.Delivered && first.GivenUpFor is { } transient)
        {
            // The preferred channel was left for a fallback that failed too: it is tried again on the next delivery,
            // which (with the fallback now known to fail) keeps retrying it until the deliveries kept for the ticket.
            Log.TransientFailure(_logger, Redact.Id(escalation.EscalationId), preferred, deliveryCount, transient.SourceException.Message);
            transient.Throw();
        }

        return second.Delivered ? fallback : first.Delivered ? preferred : null;
    }

    /// <summary>
    /// Free-text WhatsApp through the Cloud API: accepted with 200 even outside the 24-hour window, where it then fails
    /// (error 131047) and only the status webhook, which this app does not have, hears of it. So the other channel
    /// is used as well, and it is no fallback that would justify giving up a transiently failing channel.
    /// </summary>
    private bool IsUnconfirmed(EscalationChannel channel) =>
        channel == EscalationChannel.WhatsApp && _options.WhatsApp.IsConfigured && string.IsNullOrWhiteSpace(_options.WhatsApp.TemplateName);

    private async Task<ChannelOutcome> TryNotifyAsync(
        Escalation escalation,
        EscalationRecipient recipient,
        EscalationChannel channel,
        EscalationChannel? fallback,
        int deliveryCount,
        IReadOnlyList<string> notesSoFar,
        string asFallback,
        CancellationToken cancellationToken)
    {
        var maskedId = Redact.Id(escalation.EscalationId);
        var key = (escalation.EscalationId, channel);
        if (_outcomes.TryGetValue(key, out var known))
        {
            Log.AlreadyHandled(_logger, maskedId, channel, known.Delivered ? "delivered" : "failed for good");
            return known;
        }

        var name = EscalationText.ChannelName(channel);
        var address = AddressOn(recipient, channel);
        if (string.IsNullOrWhiteSpace(address))
        {
            var missing = channel == EscalationChannel.Email ? "e-mail address" : "WhatsApp number";
            if (fallback is { } next) Log.FallingBack(_logger, maskedId, channel, "no address", next, $"no {missing}");
            return new ChannelOutcome(false, $"{recipient.Name} has no {missing}.");
        }

        try
        {
            var delivery = new EscalationDelivery(escalation, address, recipient.Name) { Notes = notesSoFar.ToArray() };
            var receipt = await ChannelFor(channel).DeliverAsync(delivery, cancellationToken);
            var note = IsUnconfirmed(channel)
                ? $"Sent to {recipient.Name} by {name}{asFallback} as free text ({receipt}), unconfirmed: it arrives only if they wrote to the business number in the last 24 hours."
                : $"Sent to {recipient.Name} by {name}{asFallback} ({receipt}).";
            return Remember(key, new ChannelOutcome(true, note));
        }
        catch (EscalationDeliveryException e) when (!e.IsTransient || GivesUpTransientFailure(escalation, recipient, fallback, deliveryCount))
        {
            var kind = e.IsTransient ? $"still failing on delivery {deliveryCount}" : "permanent";
            if (fallback is { } next) Log.FallingBack(_logger, maskedId, channel, kind, next, e.Message);
            var outcome = new ChannelOutcome(false, $"{Capitalized(name)} to {recipient.Name} failed ({kind}): {e.Message}");
            // A transient failure left for the fallback before the ticket's last deliveries is final only once the
            // fallback delivered: not remembered, so a redelivery tries this channel again.
            return e.IsTransient && !TicketDeliveriesReached(deliveryCount)
                ? outcome with { GivenUpFor = ExceptionDispatchInfo.Capture(e) }
                : Remember(key, outcome);
        }
        catch (EscalationDeliveryException e)
        {
            Log.TransientFailure(_logger, maskedId, channel, deliveryCount, e.Message);
            throw;
        }
    }

    /// <summary>
    /// The last deliveries are kept for the ticket, the record a person works from: a helpdesk that fails briefly then
    /// still gets several tries before the message is dead-lettered (which only logs a lost escalation). Fewer when the
    /// queue allows few deliveries, so the channels keep at least half of them.
    /// </summary>
    private int DeliveriesKeptForTheTicket => Math.Min(3, (_options.MaxDeliveryCount - 1) / 2);

    /// <summary>
    /// A transient failure counts as final only where that still reaches the person: from FallbackAfterDeliveries on
    /// when a channel not yet tried has an address and confirms delivery, otherwise the queue's backoff retries it. From
    /// <see cref="DeliveriesKeptForTheTicket"/> deliveries before the last it is given up, so the ticket is created
    /// (saying so), with tries to spare, rather than the message dead-lettered without one.
    /// </summary>
    private bool GivesUpTransientFailure(Escalation escalation, EscalationRecipient recipient, EscalationChannel? fallback, int deliveryCount)
    {
        if (TicketDeliveriesReached(deliveryCount)) return true;
        if (deliveryCount < _options.FallbackAfterDeliveries || fallback is not { } next) return false;
        return !string.IsNullOrWhiteSpace(AddressOn(recipient, next)) && !_outcomes.ContainsKey((escalation.EscalationId, next))
            && !IsUnconfirmed(next);
    }

    private bool TicketDeliveriesReached(int deliveryCount) => deliveryCount >= _options.MaxDeliveryCount - DeliveriesKeptForTheTicket;

    private static string? AddressOn(EscalationRecipient recipient, EscalationChannel channel) =>
        channel == EscalationChannel.Email ? recipient.Email : recipient.WhatsAppNumber;

    private async Task<string> DeliverTicketAsync(EscalationDelivery delivery, int deliveryCount, CancellationToken cancellationToken)
    {
        var maskedId = Redact.Id(delivery.Escalation.EscalationId);
        var key = (delivery.Escalation.EscalationId, EscalationChannel.Ticket);
        if (_outcomes.TryGetValue(key, out var known))
        {
            Log.AlreadyHandled(_logger, maskedId, EscalationChannel.Ticket, "delivered");
            return known.Note;
        }

        try
        {
            var receipt = await ChannelFor(EscalationChannel.Ticket).DeliverAsync(delivery, cancellationToken);
            return Remember(key, new ChannelOutcome(true, receipt)).Note;
        }
        catch (EscalationDeliveryException e) when (e.IsTransient)
        {
            Log.TransientFailure(_logger, maskedId, EscalationChannel.Ticket, deliveryCount, e.Message);
            throw;
        }
        catch (EscalationDeliveryException e)
        {
            Log.TicketRejected(_logger, maskedId, e.Message);
            throw;
        }
    }

    private IEscalationChannel ChannelFor(EscalationChannel channel) =>
        _channels.TryGetValue(channel, out var found)
            ? found
            : throw new InvalidOperationException($"No {channel} escalation channel is registered; call AddEscalations().");

    private ChannelOutcome Remember((string, EscalationChannel) key, ChannelOutcome outcome)
    {
        if (_outcomes.TryAdd(key, outcome)) _remembered.Enqueue(key);
        while (_outcomes.Count > RememberedOutcomes && _remembered.TryDequeue(out var oldest)) _outcomes.TryRemove(oldest, out _);
        return outcome;
    }

    private static string Capitalized(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>Delivered or given up for good, with the sentence that goes into the ticket.</summary>
    private sealed record ChannelOutcome(bool Delivered, string Note)
    {
        /// <summary>A transient failure left for the fallback, not final yet: rethrown when the fallback fails too.</summary>
        public ExceptionDispatchInfo? GivenUpFor { get; init; }
    }
}

/// <summary>What happened to one escalation: the ticket receipt, who was told how, and the notes written into the ticket.</summary>
public sealed record EscalationDispatchResult(string TicketReceipt, EscalationChannel? NotifiedBy, IReadOnlyList<string> Notes);
