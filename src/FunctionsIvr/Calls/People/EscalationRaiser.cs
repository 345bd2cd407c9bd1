using System.Globalization;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Calls.People;

/// <summary>
/// The one place a call becomes an <see cref="Escalation"/>: the call's context (call id, caller number, contact,
/// company, segment, step, start time) and the recipient, the contact's account manager from the ERP, or the team
/// when there is none or the ERP cannot say. Queued with <c>EscalationMessages.StableId(reason, callId)</c>, so a
/// repeated callback raises one message.
/// </summary>
public static partial class EscalationRaiser
{
    /// <summary>
    /// Builds and queues the escalation; returns whether it will reach someone: queued, or parked for the outbox sweep when
    /// the queue is down. False only when it is lost (queue and storage down), which is logged and noted, never thrown.
    /// </summary>
    /// <param name="step">The step the situation arose in; the current step when null.</param>
    public static async Task<bool> RaiseAsync(CallContext ctx, EscalationReason reason, string? detail = null, string? step = null)
    {
        var escalation = await BuildAsync(ctx, reason, detail, step);
        var queued = await ctx.TrySendWorkAsync(EscalationMessages.ToWorkMessage(escalation));
        if (queued) ctx.Note($"escalation {EscalationMessages.ReasonSlug(reason)} raised to {(escalation.Recipient is null ? "the team" : "the account manager")}");
        return queued;
    }

    public static async Task<Escalation> BuildAsync(CallContext ctx, EscalationReason reason, string? detail = null, string? step = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var contactId = ctx.Get(CallerKeys.ContactId);
        Contact? contact = null;
        string? notes = null;
        if (contactId is not null)
        {
            try
            {
                contact = await ctx.Service<ErpClient>().GetContactAsync(contactId, ctx.CancellationToken);
            }
            catch (ErpException e)
            {
                Log.ContactUnavailable(Logger(ctx), ctx.CallId, Redact.Id(contactId), e.Kind);
                ctx.Note($"account manager unknown: ERP {e.Kind}");
                notes = $"The ERP could not be asked for the account manager ({e.Kind}), so this went to the team.";
            }
        }

        return new Escalation
        {
            EscalationId = EscalationMessages.StableId(reason, ctx.CallId),
            Reason = reason,
            Detail = detail,
            CallId = ctx.CallId,
            CallerNumber = string.IsNullOrWhiteSpace(ctx.Request.FromNumber) ? null : ctx.Request.FromNumber,
            ContactId = contactId,
            ContactName = contact?.Name,
            Company = contact?.Company,
            Segment = ctx.Get(CallerKeys.Segment) ?? contact?.Segment,
            Step = step ?? ctx.Step,
            CallStartedAt = long.TryParse(ctx.Get(CallRecordKeys.StartedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var t0)
                ? DateTimeOffset.FromUnixTimeSeconds(t0)
                : null,
            RaisedAt = ctx.Time.GetUtcNow(),
            Recipient = AccountManagerRecipients.From(contact?.AccountManager),
            Notes = notes,
        };
    }

    private static ILogger Logger(CallContext ctx) =>
        ctx.Services.GetService<ILoggerFactory>()?.CreateLogger(typeof(EscalationRaiser).FullName!) ?? NullLogger.Instance;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Warning,
            Message = "Call {CallId}: contact {ContactId} not read from the ERP ({Kind}); the escalation goes to the team")]
        public static partial void ContactUnavailable(ILogger logger, string callId, string contactId, ErpErrorKind kind);
    }
}
