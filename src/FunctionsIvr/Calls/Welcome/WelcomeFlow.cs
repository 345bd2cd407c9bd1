using System.Globalization;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls.People;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Ivr;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Welcome;

/// <summary>
/// The start of every call: pick up if the panel leaves that to us, find out who is calling, greet them the way
/// their data says (VIP, campaign, unknown, blocked), and offer the menu that fits.
/// </summary>
public sealed class WelcomeFlow(IOptions<IvrOptions> ivr, IOptions<CampaignOptions> campaigns) : IFlowModule
{
    public const string WelcomePrompt = "welcome";
    public const string WelcomeGuestPrompt = "welcome_guest";
    public const string VipOfferPrompt = "vip_offer";
    public const string BlockedPrompt = "blocked_declined";
    public const string MainMenuPrompt = "main_menu";
    public const string GuestMenuPrompt = "guest_menu";
    public const string MenuRetryPrompt = Prompts.MenuRetry;

    public void Define(FlowBuilder flow)
    {
        flow.UsesPrompts(WelcomePrompt, WelcomeGuestPrompt, VipOfferPrompt, BlockedPrompt);
        foreach (var campaign in campaigns.Value.Numbers.Where(c => c.WelcomePrompt.Length > 0)) flow.UsesPrompts(campaign.WelcomePrompt);
        for (var i = 0; i < campaigns.Value.Numbers.Count; i++)
        {
            var campaign = campaigns.Value.Numbers[i];
            var key = $"Campaigns:Numbers:{i}";
            // A number without digits is matched by every dialled number: every call would be greeted as the campaign's.
            if (!campaign.DialledNumber.Any(char.IsAsciiDigit))
                throw new InvalidOperationException($"{key}:DialledNumber (env Campaigns__Numbers__{i}__DialledNumber) is '{campaign.DialledNumber}': set the number callers dial for campaign '{campaign.Id}'.");
            flow.GoesTo(campaign.StartStep, $"{key}:StartStep (env Campaigns__Numbers__{i}__StartStep)");
        }

        flow.Step(CallFlow.StartStep)
            .Enter(ctx => ivr.Value.AnswerMode == IvrAnswerMode.App ? ctx.Answer() : CallContext.Goto(Steps.Identify))
            .Then(Steps.Identify);

        flow.Step(Steps.Identify)
            .Enter(IdentifyAsync)
            .Then(Steps.Greeting);

        flow.Step(Steps.Greeting)
            .Enter(ctx => ctx.Play(GreetingPrompt(ctx)))
            .Resume(ctx => CallContext.Goto(ctx.Get(CallerKeys.Kind) switch
            {
                CallerKinds.Vip => Steps.VipOffer,
                CallerKinds.Guest => Steps.GuestMenu,
                _ => StartStep(ctx),
            }));

        // VIPs are offered their account manager before anything else; any other key or silence is where every other
        // known caller goes (the menu, or the campaign's start).
        flow.Step(Steps.VipOffer)
            .Enter(ctx => ctx.Ask(VipOfferPrompt, maxDigits: 1, timeoutMs: 4000))
            .Resume(ctx => CallContext.Goto(ctx.Digits == "1" ? Steps.TransferToPerson : StartStep(ctx)));

        flow.Menu(Steps.MainMenu, MainMenuPrompt, MenuRetryPrompt)
            .On('1', Steps.OrderStatus)
            .On('2', Steps.RepeatLastOrder)
            .On('3', Steps.ProductLookup)
            .On('4', Steps.ChangeOrder)
            .On('5', Steps.TopProducts)
            .On('6', Steps.Offers)
            .On('7', Steps.Complaints)
            .On('8', Steps.Faq)
            .On('9', Steps.CallbackRequest)
            .On('0', Steps.TransferToPerson)
            .MaxTries(3, thenGoTo: Steps.TransferToPerson);

        // Unknown numbers can still check a price, hear the FAQ or reach a person; ordering needs an account.
        flow.Menu(Steps.GuestMenu, GuestMenuPrompt, MenuRetryPrompt)
            .On('3', Steps.ProductLookup)
            .On('8', Steps.Faq)
            .On('0', Steps.TransferToPerson)
            .MaxTries(3, thenGoTo: Steps.TransferToPerson);

        // The account manager (or the team) hears that a blocked customer called, once a business day (Calls:TimeZone)
        // per customer: one who keeps calling would otherwise flood them, and the ERP call record keeps every call. The
        // refusal is played whether or not the escalation could be queued, since nothing was promised to the caller.
        flow.Step(Steps.Blocked)
            .Enter(async ctx =>
            {
                if (await ctx.TryTakeMarkAsync(BlockedNoticeKey(ctx)))
                {
                    await EscalationRaiser.RaiseAsync(ctx, EscalationReason.BlockedCaller, "A blocked customer called and was refused.");
                }
                else
                {
                    ctx.Note("blocked caller: the account manager was told of an earlier call today");
                }
                // The call ends here: the ERP record opened a moment ago is closed, not left without an outcome.
                await CallRecordUpdates.EndedAsync(ctx, CallOutcomes.Other, "A blocked customer called and was refused.");
                return ctx.Play(BlockedPrompt);
            })
            .Then(CallFlow.EndStep);
    }

    /// <summary><c>blocked-notice-{contact}-{business date}</c>; a caller without a contact id has no mark to share.</summary>
    private static string BlockedNoticeKey(CallContext ctx) =>
        ctx.Get(CallerKeys.ContactId) is { Length: > 0 } contactId
            ? string.Create(CultureInfo.InvariantCulture, $"blocked-notice-{contactId}-{ctx.Service<BusinessDates>().DateOf(ctx.Time.GetUtcNow()):yyyy-MM-dd}")
            : $"blocked-notice-call-{ctx.CallId}";

    private string GreetingPrompt(CallContext ctx)
    {
        if (ctx.Get(CallerKeys.Kind) == CallerKinds.Guest) return WelcomeGuestPrompt;
        var campaign = campaigns.Value.Numbers.FirstOrDefault(c => c.Id == ctx.Get(CallerKeys.Campaign));
        return campaign is null || campaign.WelcomePrompt.Length == 0 ? WelcomePrompt : campaign.WelcomePrompt;
    }

    /// <summary>Where a known caller goes after the welcome: the campaign's start step, or the main menu.</summary>
    private string StartStep(CallContext ctx) =>
        campaigns.Value.Numbers.FirstOrDefault(c => c.Id == ctx.Get(CallerKeys.Campaign))?.StartStep ?? Steps.MainMenu;

    /// <summary>The menu that fits the caller: guests (no ERP contact) have their own.</summary>
    public static string MenuFor(CallContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        return ctx.Get(CallerKeys.ContactId) is null ? Steps.GuestMenu : Steps.MainMenu;
    }

    /// <summary>
    /// Looks the caller up by number. An ERP that is down or slow does not stop the call: the caller is served as a
    /// guest (price check, FAQ, a person) and the note says why. Then the ERP call record is opened (out of band).
    /// </summary>
    private async Task<StepResult> IdentifyAsync(CallContext ctx)
    {
        if (campaigns.Value.Find(ctx.Request.ToNumber) is { } campaign) ctx.Set(CallerKeys.Campaign, campaign.Id);

        Contact? contact;
        try
        {
            contact = await ctx.Service<ErpClient>().FindContactByPhoneAsync(ctx.Request.FromNumber, ctx.CancellationToken);
        }
        catch (ErpException e)
        {
            ctx.Note($"caller not identified: ERP {e.Kind}");
            contact = null;
        }

        if (contact is null)
        {
            ctx.Set(CallerKeys.Kind, CallerKinds.Guest);
        }
        else
        {
            ctx.Set(CallerKeys.ContactId, contact.Id);
            ctx.Set(CallerKeys.Segment, contact.Segment);
            ctx.Set(CallerKeys.AccountManagerLogin, contact.AccountManager?.Login);
            ctx.Set(CallerKeys.Kind, contact.Blocked ? CallerKinds.Blocked
                : contact.IsVip && contact.AccountManager is not null ? CallerKinds.Vip
                : CallerKinds.Known);
        }

        // A record that cannot be queued is noted in the call log; the caller is served all the same.
        await CallRecordUpdates.OpenAsync(ctx);
        return CallContext.Goto(ctx.Get(CallerKeys.Kind) == CallerKinds.Blocked ? Steps.Blocked : Steps.Greeting);
    }
}
