using System.Globalization;
using System.Net;
using System.Text;
using FunctionsIvr.Hosting;
using FunctionsIvr.Support;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Escalations;

/// <summary>
/// The one place that turns an <see cref="Escalation"/> into words for people: the title, the plain-text and HTML
/// bodies, the short WhatsApp text and the template parameters. Times are shown in the configured zone and in UTC;
/// the caller number follows <see cref="EscalationOptions.CallerNumberDisplay"/>.
/// </summary>
public sealed class EscalationText
{
    public const string SubjectPrefix = "[FunctionsIvr]";
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private readonly EscalationOptions _options;
    private readonly string? _supportSigningKey;
    private readonly TimeSpan _linkLifetime;
    private readonly TimeZoneInfo? _zone;

    public EscalationText(IOptions<EscalationOptions> options, IOptions<SupportOptions>? support = null)
        : this(options.Value, support?.Value.SigningKey, support?.Value.LinkLifetime)
    {
    }

    /// <param name="supportSigningKey"><see cref="SupportOptions.SigningKey"/>: signs the call log link so the page opens.</param>
    /// <param name="linkLifetime"><see cref="SupportOptions.LinkLifetime"/>, its default when null.</param>
    internal EscalationText(EscalationOptions options, string? supportSigningKey = null, TimeSpan? linkLifetime = null)
    {
        _options = options;
        _supportSigningKey = supportSigningKey;
        _linkLifetime = linkLifetime ?? new SupportOptions().LinkLifetime;
        _zone = TimeZones.Find(options.TimeZone);
    }

    /// <summary>E.g. <c>Call back Budmax S.A. (VIP) - nobody answered</c>.</summary>
    public string Title(Escalation escalation)
    {
        var who = Who(escalation);
        var segment = string.IsNullOrWhiteSpace(escalation.Segment) ? "" : $" ({OneLine(escalation.Segment)})";
        var title = escalation.Reason switch
        {
            EscalationReason.NobodyAnswered => $"Call back {who}{segment} - nobody answered",
            EscalationReason.CallbackRequested => $"Call back {who}{segment} - call back requested",
            EscalationReason.CommitFailed => string.IsNullOrWhiteSpace(escalation.OrderId)
                ? $"Check the order of {who}{segment} - order commit failed"
                : $"Check order {OneLine(escalation.OrderId)} of {who}{segment} - order commit failed",
            EscalationReason.DeadLettered => string.IsNullOrWhiteSpace(escalation.OrderId)
                ? $"Check {who}{segment} - work message dead-lettered"
                : $"Check order {OneLine(escalation.OrderId)} of {who}{segment} - work message dead-lettered",
            EscalationReason.BlockedCaller => $"Blocked caller {who}{segment} - called in",
            _ => $"Follow up {who}{segment}",
        };
        return title;
    }

    public string Subject(Escalation escalation) => $"{SubjectPrefix} {Title(escalation)}";

    /// <summary>What happened, in a sentence that tells the reader what to do.</summary>
    public static string WhatHappened(EscalationReason reason) => reason switch
    {
        EscalationReason.NobodyAnswered => "Nobody answered the transfer. Please call the customer back.",
        EscalationReason.CallbackRequested => "The caller asked to be called back.",
        EscalationReason.CommitFailed =>
            "An order accepted on the phone could not be committed in the ERP. Check the order and its transaction.",
        EscalationReason.DeadLettered =>
            "Work for this call ran out of retries and was dead-lettered. Check what it was meant to do.",
        EscalationReason.BlockedCaller => "A blocked number called. Nothing was ordered.",
        _ => "The phone line could not help this caller.",
    };

    /// <summary>Short name of the reason, e.g. <c>nobody answered</c>.</summary>
    public static string ReasonPhrase(EscalationReason reason) => reason switch
    {
        EscalationReason.NobodyAnswered => "nobody answered",
        EscalationReason.CallbackRequested => "call back requested",
        EscalationReason.CommitFailed => "order commit failed",
        EscalationReason.DeadLettered => "work message dead-lettered",
        EscalationReason.BlockedCaller => "blocked caller called",
        _ => "needs a person",
    };

    /// <summary>The caller number as people may see it: masked unless configured <see cref="CallerNumberDisplay.Full"/>.</summary>
    public string CallerNumber(Escalation escalation)
    {
        // A hidden number comes as blank or as a word ("anonymous"): either way there is nothing to call back.
        if (escalation.CallerNumber is not { } number || !HasNumber(escalation))
        {
            // Raised out of band (a commit, a dead letter) the number was simply not at hand; only a call's own
            // escalation without one means the caller withheld it. The call log does not keep numbers; the ERP's
            // call record of the call (its fromNumber) does.
            return escalation.Reason is EscalationReason.CommitFailed or EscalationReason.DeadLettered
                ? "not known here (the ERP's call record of this call has it)"
                : "withheld";
        }

        return _options.CallerNumberDisplay == CallerNumberDisplay.Full
            ? OneLine(number)
            : Redact.Phone(number);
    }

    /// <summary>The caller in one line: <c>Jan Kowalski, Budmax S.A. (*********789)</c>.</summary>
    public string CallerLine(Escalation escalation)
    {
        var names = string.Join(", ", new[] { escalation.ContactName, escalation.Company }
            .Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => OneLine(n!)));
        var number = CallerNumber(escalation);
        return names.Length == 0 ? $"unknown caller ({number})" : $"{names} ({number})";
    }

    /// <summary>
    /// The call log link: absolute as given, relative paths (or the call log page
    /// <c>/api/calls/{CallId}?exp=&lt;unix seconds&gt;&amp;t=&lt;token&gt;</c>, signed with <c>Support:SigningKey</c> and
    /// open for <c>Support:LinkLifetime</c> from <see cref="Escalation.RaisedAt"/>, when none is given) made absolute with
    /// <see cref="EscalationOptions.PublicBaseUrl"/> when it is set. Null without a call.
    /// </summary>
    public string? CallLogUrl(Escalation escalation)
    {
        var raw = escalation.CallLogUrl?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            if (string.IsNullOrWhiteSpace(escalation.CallId)) return null;
            // From when it was raised, not when it is sent: every channel and every retry carries the same link (a
            // helpdesk may refuse a repeated Idempotency-Key with another body).
            raw = CallLogLinks.LinkFor(escalation.CallId, _supportSigningKey, escalation.RaisedAt + _linkLifetime);
        }

        // "/calls/x" parses as an absolute file: URI on Unix, so only http(s) counts as absolute here.
        if (!raw.StartsWith('/') && Uri.TryCreate(raw, UriKind.Absolute, out var absolute) && IsHttp(absolute))
            return absolute.AbsoluteUri;
        if (!string.IsNullOrWhiteSpace(_options.PublicBaseUrl)
            && Uri.TryCreate(_options.PublicBaseUrl.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri)
            && Uri.TryCreate(baseUri, raw.TrimStart('/'), out var combined))
            return combined.AbsoluteUri;
        return raw;
    }

    /// <summary>E.g. <c>2025-01-15 10:05:12 Europe/Warsaw (2025-01-15 09:05:12 UTC)</c>; UTC alone when the zone is unknown.</summary>
    public string FormatTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture) + " UTC";
        if (_zone is null) return utc;
        var local = TimeZoneInfo.ConvertTime(time, _zone).ToString(TimeFormat, CultureInfo.InvariantCulture);
        return $"{local} {_options.TimeZone} ({utc})";
    }

    /// <summary>The context as labelled lines, in reading order; empty values are left out.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Facts(Escalation escalation)
    {
        var facts = new List<KeyValuePair<string, string>>();
        void Add(string label, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) facts.Add(new(label, value.Trim()));
        }

        Add("Contact", escalation.ContactName);
        Add("Company", escalation.Company);
        Add("Segment", escalation.Segment);
        Add("Caller number", CallerNumber(escalation));
        Add("Contact id", escalation.ContactId);
        Add("Where in the call", escalation.Step);
        Add("Order", escalation.OrderId);
        Add("Transaction", escalation.TransactionId);
        Add("Call id", escalation.CallId);
        Add("Call started", escalation.CallStartedAt is { } started ? FormatTime(started) : null);
        Add("Raised", FormatTime(escalation.RaisedAt));
        Add("Call log", CallLogUrl(escalation));
        Add("For", escalation.Recipient is { } recipient ? $"{recipient.Name} (prefers {ChannelName(recipient.PreferredChannel)})" : null);
        return facts;
    }

    public string PlainText(Escalation escalation, IReadOnlyList<string>? deliveryNotes = null)
    {
        var text = new StringBuilder();
        text.AppendLine(Title(escalation)).AppendLine();
        text.AppendLine(WhatHappened(escalation.Reason));
        if (!string.IsNullOrWhiteSpace(escalation.Detail)) text.AppendLine("Detail: " + escalation.Detail.Trim());
        text.AppendLine();

        var facts = Facts(escalation);
        var width = facts.Max(f => f.Key.Length) + 2;
        foreach (var (label, value) in facts) text.Append((label + ":").PadRight(width)).AppendLine(value);

        if (!string.IsNullOrWhiteSpace(escalation.Notes)) text.AppendLine().AppendLine("Notes:").AppendLine(escalation.Notes.Trim());
        if (deliveryNotes is { Count: > 0 })
        {
            text.AppendLine().AppendLine("Delivery:");
            foreach (var note in deliveryNotes) text.Append("- ").AppendLine(note);
        }

        text.AppendLine().Append("Escalation ").Append(escalation.EscalationId).AppendLine(", sent by FunctionsIvr.");
        return text.ToString();
    }

    public string Html(Escalation escalation, IReadOnlyList<string>? deliveryNotes = null)
    {
        static string E(string value) => WebUtility.HtmlEncode(value);
        var link = CallLogUrl(escalation);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
        html.Append("<h2>").Append(E(Title(escalation))).Append("</h2>");
        html.Append("<p><strong>").Append(E(WhatHappened(escalation.Reason))).Append("</strong></p>");
        if (!string.IsNullOrWhiteSpace(escalation.Detail)) html.Append("<p>Detail: ").Append(E(escalation.Detail.Trim())).Append("</p>");

        html.Append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">");
        foreach (var (label, value) in Facts(escalation))
        {
            html.Append("<tr><th align=\"left\">").Append(E(label)).Append("</th><td>");
            if (label == "Call log" && link is not null && Uri.TryCreate(link, UriKind.Absolute, out var uri) && IsHttp(uri))
                html.Append("<a href=\"").Append(E(uri.AbsoluteUri)).Append("\">").Append(E(value)).Append("</a>");
            else
                html.Append(E(value));
            html.Append("</td></tr>");
        }

        html.Append("</table>");
        if (!string.IsNullOrWhiteSpace(escalation.Notes))
            html.Append("<h3>Notes</h3><p style=\"white-space:pre-wrap\">").Append(E(escalation.Notes.Trim())).Append("</p>");
        if (deliveryNotes is { Count: > 0 })
        {
            html.Append("<h3>Delivery</h3><ul>");
            foreach (var note in deliveryNotes) html.Append("<li>").Append(E(note)).Append("</li>");
            html.Append("</ul>");
        }

        html.Append("<p style=\"color:#666\">Escalation ").Append(E(escalation.EscalationId)).Append(", sent by FunctionsIvr.</p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>A text short enough for a phone screen (WhatsApp allows 4096 characters).</summary>
    public string ShortText(Escalation escalation, IReadOnlyList<string>? deliveryNotes = null)
    {
        var text = new StringBuilder();
        text.Append('*').Append(Title(escalation)).AppendLine("*");
        text.AppendLine(WhatHappened(escalation.Reason));
        if (!string.IsNullOrWhiteSpace(escalation.Detail)) text.AppendLine("Detail: " + escalation.Detail.Trim());
        text.AppendLine("Caller: " + CallerLine(escalation));
        if (!string.IsNullOrWhiteSpace(escalation.Step)) text.AppendLine("Where: " + escalation.Step.Trim());
        if (!string.IsNullOrWhiteSpace(escalation.OrderId)) text.AppendLine("Order: " + escalation.OrderId.Trim());
        if (!string.IsNullOrWhiteSpace(escalation.TransactionId)) text.AppendLine("Transaction: " + escalation.TransactionId.Trim());
        text.AppendLine("Call: " + FormatTime(escalation.CallStartedAt ?? escalation.RaisedAt));
        if (CallLogUrl(escalation) is { } link) text.AppendLine("Call log: " + link);
        if (deliveryNotes is { Count: > 0 }) text.AppendLine(string.Join(" ", deliveryNotes));
        var result = text.ToString().TrimEnd();
        return result.Length <= 4096 ? result : result[..4095] + "…";
    }

    /// <summary>
    /// The three body parameters of the WhatsApp template: what happened, the caller, the call log link (or the call
    /// id). Template parameters may not contain line breaks or tabs, so they are flattened.
    /// </summary>
    public IReadOnlyList<string> TemplateParameters(Escalation escalation)
    {
        var what = Title(escalation);
        if (!string.IsNullOrWhiteSpace(escalation.Detail)) what += ": " + escalation.Detail;
        var link = CallLogUrl(escalation) ?? escalation.CallId ?? escalation.EscalationId;
        return [Flatten(what), Flatten(CallerLine(escalation)), Flatten(link)];
    }

    public static string ChannelName(EscalationChannel channel) => channel switch
    {
        EscalationChannel.Email => "e-mail",
        EscalationChannel.WhatsApp => "WhatsApp",
        _ => "ticket",
    };

    private string Who(Escalation escalation)
    {
        if (!string.IsNullOrWhiteSpace(escalation.Company)) return OneLine(escalation.Company);
        if (!string.IsNullOrWhiteSpace(escalation.ContactName)) return OneLine(escalation.ContactName);
        return HasNumber(escalation) ? "caller " + CallerNumber(escalation) : "unknown caller";
    }

    private static bool HasNumber(Escalation escalation) => escalation.CallerNumber?.Any(char.IsAsciiDigit) == true;

    /// <summary>Control characters and runs of white space become one space, so a name cannot break a subject or a header.</summary>
    private static string OneLine(string value) =>
        string.Join(' ', new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string Flatten(string value)
    {
        var flat = OneLine(value);
        return flat.Length <= 1000 ? flat : flat[..999] + "…";
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp;
}
