using Azure;
using System.Globalization;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Orders;
using FunctionsIvr.Calls.Service;
using FunctionsIvr.Calls.Welcome;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Agents;

/// <summary>
/// Builds and records the card for the person a call is about to be transferred to, and sends its text to the ERP
/// call record. Best effort on the call path: the ERP reads share one short budget and are left out when late or
/// failing, the card write has a short budget of its own, and nothing here can stop or hold up the transfer.
/// </summary>
public static class ScreenPop
{
    private const int MaxComplaintsShown = 5;

    /// <summary>Records the card, then answers the transfer (to an agent's login or a queue).</summary>
    public static async Task<StepResult> TransferWithCardAsync(this CallContext ctx, string objectLogin, int ringSeconds)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        await PopAsync(ctx, objectLogin);
        return ctx.Transfer(objectLogin, ringSeconds);
    }

    public static async Task PopAsync(CallContext ctx, string destination)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (ctx.Services.GetService<IAgentCardStore>() is not { } store) return;
        var options = ctx.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var logger = ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ScreenPop));

        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(1, options.ErpBudgetMs)), ctx.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, ctx.CancellationToken);
        AgentCard? card = null;
        try
        {
            card = await BuildAsync(ctx, destination, linked.Token);
            // Bounded too: with state storage down, an unbounded write kept the caller on holding prompts before the transfer.
            using var writeBudget = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Max(1, options.CardWriteBudgetMs)), ctx.Time);
            using var write = CancellationTokenSource.CreateLinkedTokenSource(writeBudget.Token, ctx.CancellationToken);
            await store.AddAsync(card, write.Token);
            Log.CardRecorded(logger, ctx.CallId, destination, card.Missing.Count);
        }
        catch (Exception e) when (!ctx.CancellationToken.IsCancellationRequested)
        {
            // A screen pop is a convenience for the agent; the caller's transfer must go ahead whatever failed here.
            Log.CardFailed(logger, e, ctx.CallId, destination);
            ctx.Note("screen pop not recorded");
        }

        // The ERP's record gets the card through the queue, not the card store: a card the agent page could not
        // store still belongs on the record the sales rep reads after the call.
        if (card is not null) await CallRecordUpdates.CardAsync(ctx, card.ToText());
    }

    internal static async Task<AgentCard> BuildAsync(CallContext ctx, string destination, CancellationToken budget)
    {
        var missing = new List<string>();
        var contactId = ctx.Get(CallerKeys.ContactId);
        var erp = ctx.Services.GetService<ErpClient>();

        // Started together, awaited one by one: the budget is shared, not spent three times.
        var contact = contactId is null || erp is null ? null : Try(() => erp.GetContactAsync(contactId, budget));
        var orders = contactId is null || erp is null ? null : Try(() => erp.GetOrdersAsync(contactId, OrderStatuses.Active, limit: 5, budget));
        var complaints = contactId is null || erp is null ? null : Try(() => erp.GetOpenComplaintsAsync(contactId, budget));
        var log = Try(() => ctx.Service<ICallLog>().ReadAsync(ctx.CallId, budget));

        var who = await ReadAsync(contact, "caller", missing);
        var openOrders = await ReadAsync(orders, "open orders", missing);
        var openComplaints = await ReadAsync(complaints, "open complaints", missing);
        var steps = await ReadAsync(log, "menu steps", missing);

        return new AgentCard
        {
            Login = destination,
            CallId = ctx.CallId,
            Key = ctx.CallId + ":" + ctx.Session.Steps.ToString(CultureInfo.InvariantCulture),
            CreatedAt = ctx.Time.GetUtcNow(),
            CallerName = who?.Name ?? (contactId is null ? "Unknown caller" : ""),
            Company = who?.Company ?? "",
            Segment = who?.Segment ?? ctx.Get(CallerKeys.Segment) ?? "",
            MaskedNumber = Redact.Phone(ctx.Request.FromNumber),
            Steps = MenuPath(steps ?? [], ctx.Step),
            LookingAt = LookingAt(ctx),
            OpenOrders = (openOrders ?? []).Select(o => $"{o.Number} {o.Status} {o.Total.ToString("0.00", CultureInfo.InvariantCulture)} {o.Currency}").ToList(),
            OpenComplaints = Complaints(openComplaints ?? []),
            Missing = missing,
        };
    }

    /// <summary>Each step the call passed through once, in order (the technical start left out), ending with the step that transfers.</summary>
    private static List<string> MenuPath(IReadOnlyList<CallLogEntry> entries, string current)
    {
        var path = new List<string>();
        foreach (var step in entries.OrderBy(e => e.Sequence).SelectMany(e => new[] { e.Step, e.NextStep }).Append(current))
        {
            if (step.Length > 0 && step != CallFlow.StartStep && (path.Count == 0 || path[^1] != step)) path.Add(step);
        }

        return path;
    }

    /// <summary>As many as the open orders (5), then how many more: the agent sees the rest in the ERP.</summary>
    private static List<string> Complaints(IReadOnlyList<Complaint> complaints)
    {
        var lines = complaints.Take(MaxComplaintsShown).Select(c => $"{c.Number} {c.Status} {c.Subject}".TrimEnd()).ToList();
        if (complaints.Count > MaxComplaintsShown) lines.Add($"and {complaints.Count - MaxComplaintsShown} more in the ERP");
        return lines;
    }

    private static string? LookingAt(CallContext ctx)
    {
        if (ctx.Get(ComplaintsFlow.ComplaintKey) is { } complaint) return "complaint " + complaint;
        if (ctx.Get(OrderKeys.NumberDigits) is { } order)
        {
            var status = ctx.Get(OrderKeys.Status);
            return status is null ? $"order ending {order}" : $"order ending {order} ({status})";
        }

        return ctx.Get(OrderKeys.ProductCode) is { } product ? "product " + product : null;
    }

    private static Task<T>? Try<T>(Func<Task<T>> start)
    {
        try
        {
            return start();
        }
        catch (Exception e) when (e is ErpException or OperationCanceledException or InvalidOperationException)
        {
            return Task.FromException<T>(e);
        }
    }

    private static async Task<T?> ReadAsync<T>(Task<T>? read, string what, List<string> missing)
        where T : class
    {
        if (read is null) return null;
        try
        {
            return await read;
        }
        // RequestFailedException: the call log's storage failing costs the card its menu path, not the whole card.
        catch (Exception e) when (e is ErpException or OperationCanceledException or TimeoutException or RequestFailedException)
        {
            missing.Add(what);
            return null;
        }
    }
}
