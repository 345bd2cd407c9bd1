using System.Globalization;
using System.Text;
using Azure;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// The outbox in Table Storage: one partition (<c>outbox</c>), RowKey = the ERP's transaction id as a key
/// (<see cref="TableKeys.ForId"/>: the ERP chooses the id and may put a <c>/</c> in it; the id itself is kept in the
/// <c>TransactionId</c> property). The partition does not depend on the status, so a status change is an in-place
/// replace guarded by the ETag, never a move between partitions (which would need two writes and could lose a row).
/// One partition carries about 2,000 writes a second, far above the rate orders are placed by phone, and the sweep's
/// status filter scans this one partition instead of the table.
/// </summary>
public sealed class TableOutboxStore : IOutboxStore
{
    public const string DefaultTableName = "outbox";
    internal const string PartitionKey = "outbox";

    private readonly CreateOnceTable _table;

    public TableOutboxStore(TableServiceClient service, ILogger<TableOutboxStore> logger, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new CreateOnceTable(service.GetTableClient(tableName), logger);
    }

    /// <summary>Inserts the entry (409 if its transaction is already there) and sets its ETag.</summary>
    public async Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = ToEntity(entry);
        await _table.RunAsync(table => table.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
        entry.ETag = entity.ETag;
    }

    public async Task<OutboxEntry?> GetAsync(string transactionId, CancellationToken cancellationToken = default)
    {
        var response = await _table.RunAsync(
            table => table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, TableKeys.ForId(transactionId), cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>Replaces the entry If-Match its ETag: 412 if it changed since it was read, 404 if it is gone.</summary>
    public async Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.ETag == default)
        {
            throw new ArgumentException("The entry has no ETag: read or add it before updating it.", nameof(entry));
        }

        var entity = ToEntity(entry);
        await _table.RunAsync(table => table.UpdateEntityAsync(entity, entry.ETag, TableUpdateMode.Replace, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        entry.ETag = entity.ETag;
    }

    public async Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<OutboxStatus> statuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var wanted = statuses.Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await QueryAsync(StatusFilter(wanted), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Filtered on the call by the service, so a page view does not read the whole outbox.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListForCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callId);
        var entries = await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey} and CallId eq {callId}"), cancellationToken)
            .ConfigureAwait(false);
        return entries.OrderBy(e => e.PreparedAt).ThenBy(e => e.TransactionId, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every page of the query (the client follows the continuation tokens).</summary>
    private Task<List<OutboxEntry>> QueryAsync(string filter, CancellationToken cancellationToken) =>
        _table.RunAsync(table => QueryAsync(table, filter, cancellationToken), cancellationToken);

    private static async Task<List<OutboxEntry>> QueryAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var entries = new List<OutboxEntry>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(FromEntity(entity));
        }

        return entries;
    }

    /// <summary><c>PartitionKey eq 'outbox' and (Status eq 'Prepared' or …)</c>; at most 6 comparisons, under the service's 15.</summary>
    internal static string StatusFilter(IReadOnlyList<OutboxStatus> statuses)
    {
        var filter = new StringBuilder(TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey}")).Append(" and (");
        for (var i = 0; i < statuses.Count; i++)
        {
            if (i > 0) filter.Append(" or ");
            filter.Append(TableClient.CreateQueryFilter($"Status eq {statuses[i].ToString()}"));
        }

        return filter.Append(')').ToString();
    }

    private static TableEntity ToEntity(OutboxEntry entry)
    {
        var entity = new TableEntity(PartitionKey, TableKeys.ForId(entry.TransactionId))
        {
            ["TransactionId"] = entry.TransactionId,
            ["CallId"] = entry.CallId,
            ["Turn"] = entry.Turn,
            ["ContactId"] = entry.ContactId,
            ["OrderNumber"] = entry.OrderNumber,
            // decimal has no Table type; its invariant text round-trips exactly, a double would not.
            ["Total"] = entry.Total.ToString(CultureInfo.InvariantCulture),
            ["Currency"] = entry.Currency,
            ["Status"] = entry.Status.ToString(),
            ["PreparedAt"] = StoredDate.From(entry.PreparedAt),
            ["ExpiresAt"] = StoredDate.From(entry.ExpiresAt),
            ["UpdatedAt"] = StoredDate.From(entry.UpdatedAt),
            ["SendAttempts"] = entry.SendAttempts,
            // An error's text comes from elsewhere and has no bound; a save refused for its length would lose the entry.
            ["LastError"] = SplitStringProperty.Cut(entry.LastError),
        };
        SplitStringProperty.Write(entity, "MessageBody", entry.MessageBody);
        return entity;
    }

    // Rows written before the id was kept as a property have it as their RowKey, unescaped.
    private static OutboxEntry FromEntity(TableEntity entity) => new(entity.GetString("TransactionId") ?? entity.RowKey)
    {
        CallId = entity.GetString("CallId") ?? "",
        Turn = entity.GetInt32("Turn"),
        ContactId = entity.GetString("ContactId") ?? "",
        OrderNumber = entity.GetString("OrderNumber") ?? "",
        Total = decimal.Parse(entity.GetString("Total") ?? "0", NumberStyles.Number, CultureInfo.InvariantCulture),
        Currency = entity.GetString("Currency") ?? "",
        Status = Enum.Parse<OutboxStatus>(entity.GetString("Status") ?? nameof(OutboxStatus.Prepared)),
        MessageBody = SplitStringProperty.Read(entity, "MessageBody") ?? "",
        PreparedAt = entity.GetDateTimeOffset("PreparedAt") ?? default,
        ExpiresAt = entity.GetDateTimeOffset("ExpiresAt") ?? default,
        UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? default,
        SendAttempts = entity.GetInt32("SendAttempts") ?? 0,
        LastError = entity.GetString("LastError"),
        ETag = entity.ETag,
    };
}
