using FunctionsIvr.Agents;
using FunctionsIvr.Calls.Transfer;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls.Service;

/// <summary>
/// The caller's open complaints: how many, then up to three read back (the last digits of the number, the status,
/// the date it was opened); then 1 to talk to the person handling one, 9 for the menu.
/// </summary>
public sealed class ComplaintsFlow(IOptions<TransferOptions> transferOptions) : IFlowModule
{
    public const string CountPrompt = "complaints_count";
    public const string ComplaintPrompt = "complaint";
    public const string OpenPrompt = "complaint_open";
    public const string InProgressPrompt = "complaint_in_progress";
    public const string OtherStatusPrompt = "complaint_status";
    public const string MenuPrompt = "complaints_menu";
    public const string NoComplaintsPrompt = "no_complaints";

    public const string ReadOut = Steps.Complaints + "_read";
    public const string Menu = Steps.Complaints + "_menu";
    public const string ToHandler = Steps.Complaints + "_transfer";
    public const string NoComplaints = Steps.Complaints + "_none";
    public const string Leave = Steps.Complaints + "_leave";
    public const string Unavailable = Steps.Complaints + "_unavailable";

    /// <summary>Session key: PBX login of the person handling the first complaint read that has one.</summary>
    public const string HandlerKey = "ca";

    /// <summary>Session key: number of that complaint, for the screen pop of the person it is transferred to.</summary>
    public const string ComplaintKey = "cn";

    public const int MaxRead = 3;

    public void Define(FlowBuilder flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var transfer = transferOptions.Value;
        flow.UsesPrompts(CountPrompt, ComplaintPrompt, OpenPrompt, InProgressPrompt, OtherStatusPrompt, NoComplaintsPrompt, Prompts.Apology);

        flow.Step(Steps.Complaints)
            .Enter(StartAsync)
            .Then(Steps.MainMenu);

        Announcement.Define(flow, ReadOut, next: Menu, rebuild: Steps.Complaints);

        flow.Menu(Menu, MenuPrompt, Prompts.MenuRetry)
            .On('1', ctx => ctx.Get(HandlerKey) is null ? Steps.TransferToPerson : ToHandler)
            .On('9', Leave)
            .MaxTries(3, thenGoTo: Leave);

        // Back to the menu, the call is no longer about the complaint: a later transfer's card must not say it is.
        flow.Step(Leave)
            .Enter(ctx =>
            {
                ctx.Set(HandlerKey, null);
                ctx.Set(ComplaintKey, null);
                return CallContext.Goto(Steps.MainMenu);
            })
            .Then(Steps.MainMenu);

        // The person handling it first; if they do not pick up, the usual chain (account manager, team queue, call back).
        // When the handler is the caller's account manager, the chain starts at the queue: the caller is not made to
        // ring the same busy person twice.
        flow.Step(ToHandler)
            .Enter(ctx => ctx.TransferWithCardAsync(ctx.Get(HandlerKey)!, transfer.AgentRingSeconds))
            .Resume(ctx => TransferFlow.AfterTransferAsync(ctx, ctx.Get(HandlerKey)!,
                notAnswered: ctx.Get(HandlerKey) == (ctx.Get(CallerKeys.AccountManagerLogin) ?? transfer.AgentLogin)
                    ? TransferFlow.ToQueue
                    : Steps.TransferToPerson));

        flow.Step(NoComplaints)
            .Enter(ctx => ctx.Play(NoComplaintsPrompt))
            .Then(Steps.MainMenu);

        flow.Step(Unavailable)
            .Enter(ctx => ctx.Play(Prompts.Apology))
            .Then(Steps.MainMenu);
    }

    private static async Task<StepResult> StartAsync(CallContext ctx)
    {
        if (ctx.Get(CallerKeys.ContactId) is not { } contactId) return CallContext.Goto(Steps.GuestMenu);

        IReadOnlyList<Complaint> complaints;
        try
        {
            complaints = await ctx.Service<ErpClient>().GetOpenComplaintsAsync(contactId, ctx.CancellationToken);
        }
        catch (ErpException e)
        {
            ctx.Note($"complaints not read: ERP {e.Kind}");
            return CallContext.Goto(Unavailable);
        }

        if (complaints.Count == 0) return CallContext.Goto(NoComplaints);

        var read = complaints.Take(MaxRead).ToList();
        var handled = read.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c.AssignedTo));
        ctx.Set(HandlerKey, handled?.AssignedTo);
        ctx.Set(ComplaintKey, handled?.Number);
        List<Spoken> parts = [Spoken.Prompt(CountPrompt), Spoken.Number(complaints.Count)];
        var dates = ctx.Service<BusinessDates>();
        foreach (var complaint in read) parts.AddRange(Say(complaint, dates));
        return await Announcement.StartAsync(ctx, ReadOut, parts);
    }

    /// <summary>"Complaint ending in [0042]" + "is open" / "is being handled" / "is in progress" + ", opened on" [date].</summary>
    private static IEnumerable<Spoken> Say(Complaint complaint, BusinessDates dates)
    {
        yield return Spoken.Prompt(ComplaintPrompt);
        if (Spoken.LastDigitsOf(complaint.Number) is { } digits) yield return digits;
        yield return Spoken.Prompt(StatusPrompt(complaint.Status));
        // The date in the business's zone, the date on the customer's paperwork, whatever offset the ERP wrote.
        yield return Spoken.Date(dates.DateOf(complaint.OpenedAt));
    }

    private static string StatusPrompt(string status) => status.Replace('-', '_').ToLowerInvariant() switch
    {
        ComplaintStatuses.Open => OpenPrompt,
        "in_progress" or "inprogress" => InProgressPrompt,
        _ => OtherStatusPrompt,
    };
}
