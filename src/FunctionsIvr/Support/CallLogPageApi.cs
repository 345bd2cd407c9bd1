using System.Globalization;
using System.Text;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Support;

/// <summary>
/// One call as support sees it (<c>GET /api/calls/{id}?t=&lt;token&gt;</c>, function CallLogPage): every callback
/// with its time, event, keypad input (masked when logged), the answer, how long it took and the ERP calls it made,
/// then the orders (outbox) and escalations the call produced. The link in escalation e-mails and tickets carries
/// the token and its expiry; it opens this call only, until then.
/// </summary>
public static partial class CallLogPageApi
{
    public const string FunctionName = "CallLogPage";
    public const string Route = "/api/calls/{id}";

    public static IEndpointRouteBuilder MapCallLogPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(Route, PageAsync).WithName(FunctionName);
        return app;
    }

    private static async Task<IResult> PageAsync(
        string id, HttpContext http, ICallLog callLog, IOutboxStore outbox, IOptions<SupportOptions> options, TimeProvider time,
        ILoggerFactory loggers)
    {
        var signingKey = options.Value.SigningKey;
        var token = http.Request.Query[LinkTokens.TokenParameter].FirstOrDefault();
        var expires = http.Request.Query[LinkTokens.ExpiryParameter].FirstOrDefault();
        var (callId, check) = LinkTokens.IsUsableKey(signingKey)
            ? CallLogLinks.CallIdOpenedBy(id, token, expires, signingKey!, time.GetUtcNow(), options.Value.LinkLifetime)
            : (null, string.IsNullOrEmpty(token) ? LinkCheck.Missing : LinkCheck.Wrong);
        if (callId is null)
        {
            var status = check == LinkCheck.Missing ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            Log.Refused(loggers.CreateLogger(typeof(CallLogPageApi)), Redact.Id(id), status, check);
            var why = !LinkTokens.IsUsableKey(signingKey)
                ? "Call log pages are not set up on this server (Support:SigningKey is missing, or its Key Vault secret is)."
                : check switch
                {
                    LinkCheck.Missing => "This page opens only from the link in an escalation e-mail or ticket.",
                    LinkCheck.Expired => "This link has expired. Call log links open for a limited time after the escalation; "
                                         + "ask whoever runs this service for a new link if you still need this call's log.",
                    _ => "This link does not open this call.",
                };
            return HtmlPage.Result("No access", $"<h1>No access</h1><div class=\"denied\"><p>{HtmlPage.Encode(why)}</p></div>", statusCode: status);
        }

        var entries = await callLog.ReadAsync(callId, http.RequestAborted);
        var orders = await outbox.ListForCallAsync(callId, http.RequestAborted);
        return HtmlPage.Result($"Call {callId}", Render(callId, entries, orders));
    }

    internal static string Render(string id, IReadOnlyList<CallLogEntry> entries, IReadOnlyList<OutboxEntry> orders)
    {
        var e = HtmlPage.Encode;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<h1>Call {e(id)}</h1>");
        if (entries.Count == 0)
        {
            html.Append("<p class=\"muted\">No steps logged for this call (unknown call id, or the log has expired).</p>");
        }
        else
        {
            var total = entries.Sum(x => x.DurationMs);
            html.Append(CultureInfo.InvariantCulture,
                $"<p class=\"muted\">{entries.Count} steps, {Time(entries[0].Time)} to {Time(entries[^1].Time)} UTC, {total.ToString("0", CultureInfo.InvariantCulture)} ms answering in all.</p>");
            html.Append("<table class=\"steps\"><thead><tr><th>#</th><th>Time (UTC)</th><th>Step</th><th>Event</th><th>Digits</th><th>Answer</th><th class=\"num\">ms</th><th>ERP calls</th><th>Notes</th></tr></thead><tbody>");
            foreach (var x in entries.OrderBy(x => x.Sequence))
            {
                html.Append("<tr>")
                    .Append(Cell("#", x.Sequence.ToString(CultureInfo.InvariantCulture)))
                    .Append(Cell("Time", x.Time.ToUniversalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)))
                    .Append(Cell("Step", x.NextStep.Length > 0 && x.NextStep != x.Step ? $"{x.Step} → {x.NextStep}" : x.Step))
                    .Append(Cell("Event", x.EventName))
                    .Append(Cell("Digits", x.EventData))
                    .Append(Cell("Answer", x.Action))
                    .Append(Cell("ms", x.DurationMs.ToString("0.0", CultureInfo.InvariantCulture), "num"))
                    .Append(Cell("ERP calls", x.ErpCalls))
                    .Append(Cell("Notes", x.Note))
                    .Append("</tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<h2 style=\"margin-top:1rem\">Orders</h2>");
        if (orders.Count == 0) html.Append("<p class=\"muted\">No order was placed on this call.</p>");
        else
        {
            html.Append("<ul>");
            foreach (var o in orders)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<li>{e(o.OrderNumber)}: {e(o.Total.ToString("0.00", CultureInfo.InvariantCulture))} {e(o.Currency)}, {e(o.Status.ToString())}{(o.LastError is null ? "" : " (" + e(o.LastError) + ")")}</li>");
            }

            html.Append("</ul>");
        }

        var escalations = Notes(entries, "escalation");
        html.Append("<h2 style=\"margin-top:1rem\">Escalations</h2>");
        html.Append(escalations.Count == 0
            ? "<p class=\"muted\">None raised on this call.</p>"
            : "<ul>" + string.Concat(escalations.Select(n => $"<li>{e(n)}</li>")) + "</ul>");
        return html.ToString();

        string Cell(string label, string? value, string? cls = null) =>
            $"<td data-label=\"{e(label)}\"{(cls is null ? "" : $" class=\"{cls}\"")}>{e(value)}</td>";
    }

    /// <summary>The notes (one callback may carry several, joined by "; ") that mention <paramref name="word"/>.</summary>
    private static List<string> Notes(IReadOnlyList<CallLogEntry> entries, string word) =>
        entries.Where(x => x.Note is not null)
            .SelectMany(x => x.Note!.Split("; ").Select(n => $"step {x.Sequence}: {n}"))
            .Where(n => n.Contains(word, StringComparison.OrdinalIgnoreCase))
            .ToList();

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(EventId = 9201, Level = LogLevel.Warning, Message = "Call log page of call {CallId}: access refused ({Status}, link {Check})")]
        public static partial void Refused(ILogger logger, string callId, int status, LinkCheck check);
    }
}
