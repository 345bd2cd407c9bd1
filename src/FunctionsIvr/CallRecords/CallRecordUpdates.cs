using System.Globalization;
using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;

namespace FunctionsIvr.CallRecords;

/// <summary>
/// What flows call to keep the ERP's record of the call current. Each method queues a command on the
/// <c>call-records</c> queue (the ERP is written out of band, never on the call path); a command the queue does not
/// take is parked for the outbox sweep (lost only if the state storage is down too), noted, and the call goes on.
/// </summary>
public static class CallRecordUpdates
{
    /// <summary>
    /// Opens the record: call once caller identification is done (the contact id and campaign are in the Session). The
    /// start time is this callback's; a repeated first callback, or one replayed on another instance, has another, and
    /// the processor sends every open of the call with the first it saw (<see cref="CallRecordProcessor"/>), nothing
    /// of it on the call path.
    /// </summary>
    public static Task<bool> OpenAsync(CallContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ctx.Set(CallRecordKeys.StartedAt, ctx.Time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return ctx.TrySendWorkAsync(CallRecordMessages.ToWorkMessage(OpenFor(ctx)!));
    }

    /// <summary>An order was accepted on the phone: outcome <see cref="CallOutcomes.OrderPlaced"/> with its number.</summary>
    public static Task<bool> OrderPlacedAsync(CallContext ctx, string orderNumber)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderNumber);
        return UpdateAsync(ctx, CallOutcomes.OrderPlaced, $"Order {orderNumber} placed by phone.", orderNumber: orderNumber);
    }

    /// <summary>
    /// A person or queue answered the transfer: outcome <see cref="CallOutcomes.Transferred"/> and the destination. The
    /// card stays as the screen pop wrote it just before (it names the destination too): the record is what the sales
    /// rep reads after the call, and a bare "transferred" line in its place would throw away who called and why.
    /// </summary>
    public static Task<bool> TransferredAsync(CallContext ctx, string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        return UpdateAsync(ctx, CallOutcomes.Transferred, card: null, transferredTo: destination);
    }

    /// <summary>The screen pop sent to the person the call is being transferred to: the card only, the outcome stays as it is.</summary>
    public static Task<bool> CardAsync(CallContext ctx, string card)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(card);
        return UpdateAsync(ctx, outcome: null, card);
    }

    /// <summary>The phone ends the call (a call-back was promised, nobody answered): the outcome and the end time.</summary>
    public static Task<bool> EndedAsync(CallContext ctx, string outcome, string card)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return UpdateAsync(ctx, outcome, card, endedAt: ctx.Time.GetUtcNow());
    }

    /// <summary>The open command of this call as every callback rebuilds it, or null before identification opened it.</summary>
    public static OpenCallRecord? OpenFor(CallContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!long.TryParse(ctx.Get(CallRecordKeys.StartedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var startedAt)) return null;
        return new OpenCallRecord
        {
            CallId = ctx.CallId,
            FromNumber = ctx.Request.FromNumber,
            DialledNumber = ctx.Request.ToNumber,
            ContactId = ctx.Get(CallerKeys.ContactId),
            StartedAt = DateTimeOffset.FromUnixTimeSeconds(startedAt),
            Campaign = ctx.Get(CallerKeys.Campaign),
        };
    }

    /// <summary>When the call came in on a campaign number the card says so first: the ERP record has no campaign field.</summary>
    internal static string? CampaignCard(string? campaign, string? text) =>
        string.IsNullOrEmpty(campaign) ? text : text is null ? $"Campaign {campaign}." : $"Campaign {campaign}. {text}";

    private static Task<bool> UpdateAsync(
        CallContext ctx, string? outcome, string? card, string? orderNumber = null, string? transferredTo = null, DateTimeOffset? endedAt = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (OpenFor(ctx) is not { } open)
        {
            ctx.Note($"call record not opened, {outcome ?? "card"} not recorded");
            return Task.FromResult(false);
        }

        var update = new UpdateCallRecord
        {
            CallId = ctx.CallId,
            Outcome = outcome,
            OrderNumber = orderNumber,
            TransferredTo = transferredTo,
            Card = card is null ? null : CampaignCard(open.Campaign, card),
            EndedAt = endedAt,
            Open = open,
        };
        return ctx.TrySendWorkAsync(CallRecordMessages.ToWorkMessage(update, NextUpdateNumber(ctx)));
    }

    /// <summary>
    /// Grows with every update and is the same when a callback is repeated: at least the callback's sequence number
    /// (so an update lost with a failed step cannot be reused by a later one), and above the last one sent.
    /// </summary>
    private static int NextUpdateNumber(CallContext ctx)
    {
        var last = int.TryParse(ctx.Get(CallRecordKeys.LastUpdate), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var next = Math.Max(ctx.Session.Steps, last + 1);
        ctx.Set(CallRecordKeys.LastUpdate, next.ToString(CultureInfo.InvariantCulture));
        return next;
    }
}
