using System.Text.Json.Nodes;
using Azure;
using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// What a drill left behind once the fault is lifted and the work has drained: per call, the outbox entry (read from
/// Azurite directly, not through the app), the ERP orders made from its transaction, and the escalations written
/// (ticket files, one per escalation, named by the stable escalation id).
/// </summary>
internal sealed class DrillLedger
{
    private DrillLedger(IReadOnlyList<DrillOrder> orders, IReadOnlyList<string> escalationIds, IReadOnlyList<string> stillParked)
    {
        Orders = orders;
        EscalationIds = escalationIds;
        StillParked = stillParked;
    }

    public IReadOnlyList<DrillOrder> Orders { get; }

    /// <summary>Ids of the escalations ticketed, e.g. <c>commit-failed-{transactionId}</c>.</summary>
    public IReadOnlyList<string> EscalationIds { get; }

    /// <summary>"queue/MessageId" of the drill's calls' work still parked (not yet accepted by the queue) in the unsent work table.</summary>
    public IReadOnlyList<string> StillParked { get; }

    public static async Task<DrillLedger> ReadAsync(
        IReadOnlyList<DrillCall> calls, string acceptedPrompt, TableServiceClient tables, ErpClient erp, string contactId, string ticketFolder)
    {
        var erpOrders = await erp.GetOrdersAsync(contactId, limit: 100);
        var outbox = tables.GetTableClient(TableOutboxStore.DefaultTableName);
        var orders = new List<DrillOrder>();
        foreach (var call in calls)
        {
            var rows = new List<TableEntity>();
            try
            {
                await foreach (var row in outbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CallId eq {call.CallId}"))) rows.Add(row);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // No order placed on this Azurite yet: the outbox table is made with the first entry.
            }
            if (rows.Count > 1) throw new InvalidOperationException($"Call {call.CallId} has {rows.Count} outbox entries; one basket makes one.");
            var row0 = rows.SingleOrDefault();
            var transactionId = row0?.RowKey;
            orders.Add(new DrillOrder(
                call,
                call.Heard(acceptedPrompt),
                transactionId,
                row0?.GetString("Status"),
                transactionId is null ? 0 : erpOrders.Count(o => o.TransactionId == transactionId)));
        }

        var escalations = Directory.Exists(ticketFolder)
            ? Directory.GetFiles(ticketFolder, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!["escalationId"]!.GetValue<string>()).ToList()
            : [];
        return new DrillLedger(orders, escalations, await StillParkedAsync(tables, calls));
    }

    private static async Task<IReadOnlyList<string>> StillParkedAsync(TableServiceClient tables, IReadOnlyList<DrillCall> calls)
    {
        var callIds = calls.Select(c => c.CallId).ToHashSet(StringComparer.Ordinal);
        var parked = new List<string>();
        try
        {
            await foreach (var row in tables.GetTableClient(TableUnsentWorkStore.DefaultTableName).QueryAsync<TableEntity>())
            {
                if (callIds.Contains(row.GetString("CallId") ?? "")) parked.Add(row.PartitionKey + "/" + row.RowKey);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Nothing was ever parked on this Azurite: the table is made with the first entry.
        }

        return parked;
    }

    public int Accepted => Orders.Count(o => o.Accepted);

    public int CommittedOnce => Orders.Count(o => o.Accepted && o.ErpOrders == 1 && o.Status == nameof(OutboxStatus.Committed));

    /// <summary>Whether a person was told about this transaction (a commit failure or a dead-lettered commit).</summary>
    public bool Escalated(string transactionId) => EscalationIds.Any(id => id.EndsWith("-" + transactionId, StringComparison.Ordinal));

    /// <summary>The drill's line in the fault table for calls that placed orders: what was accepted, committed and escalated.</summary>
    public FaultDrillReport Report(string fault, IReadOnlyList<DrillCall> calls) => new()
    {
        Fault = fault,
        Calls = calls,
        Accepted = Accepted,
        CommittedOnce = CommittedOnce,
        Escalations = DescribeEscalations(),
        PromptNames = DrillApp.PromptNames,
    };

    /// <summary>"3: 2 callback-requested, 1 commit-failed".</summary>
    public string DescribeEscalations()
    {
        if (EscalationIds.Count == 0) return "0";
        var byReason = EscalationIds
            .GroupBy(id => Reasons.FirstOrDefault(r => id.StartsWith(r + "-", StringComparison.Ordinal)) ?? "other")
            .Select(g => $"{g.Count()} {g.Key}");
        return $"{EscalationIds.Count}: {string.Join(", ", byReason)}";
    }

    private static readonly string[] Reasons = ["nobody-answered", "callback-requested", "commit-failed", "dead-lettered", "blocked-caller"];
}

/// <param name="Accepted">The caller heard "order accepted".</param>
/// <param name="Status">The outbox entry's status; null without an entry.</param>
/// <param name="ErpOrders">Orders the ERP holds for the entry's transaction.</param>
internal sealed record DrillOrder(DrillCall Call, bool Accepted, string? TransactionId, string? Status, int ErpOrders);
