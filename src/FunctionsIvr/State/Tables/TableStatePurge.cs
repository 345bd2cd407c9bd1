using Azure;
using FunctionsIvr.Agents;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// The retention purge in Table Storage. Each table is read page by page (following the continuation), only keys and
/// the age property; a row's age is the time the app wrote on it (call state and outbox <c>UpdatedAt</c>, call log
/// <c>Time</c>, agent cards <c>CreatedAt</c>), or the server's Timestamp on a row written before the app wrote one.
/// Due rows are deleted per partition in entity group transactions of at most 100, If-Match the version read, so a row
/// written meanwhile stays. A failed delete is logged and its rows are left for the next run; the rest goes on.
/// </summary>
public sealed partial class TableStatePurge : IStatePurge
{
    private const int MaxPerTransaction = 100;

    private readonly TableServiceClient _service;
    private readonly ILogger<TableStatePurge> _logger;
    private readonly int _pageSize;
    private readonly string _callStateTable;
    private readonly string _callLogTable;
    private readonly string _outboxTable;
    private readonly string _agentCardsTable;

    public TableStatePurge(
        TableServiceClient service, ILogger<TableStatePurge> logger, int pageSize = 1000,
        string callStateTable = TableCallStateStore.DefaultTableName, string callLogTable = TableCallLog.DefaultTableName,
        string outboxTable = TableOutboxStore.DefaultTableName, string agentCardsTable = TableAgentCardStore.DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        _service = service;
        _logger = logger;
        _pageSize = pageSize;
        _callStateTable = callStateTable;
        _callLogTable = callLogTable;
        _outboxTable = outboxTable;
        _agentCardsTable = agentCardsTable;
    }

    public async Task<IReadOnlyList<PurgedTable>> PurgeAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        var latest = cutoffs.CallState > cutoffs.Records ? cutoffs.CallState : cutoffs.Records;
        return
        [
            await PurgeTableAsync(_callStateTable, OlderThan("UpdatedAt", latest), "UpdatedAt", row => cutoffs.ForCallStateKey(row.PartitionKey), cancellationToken),
            await PurgeTableAsync(_callLogTable, OlderThan("Time", cutoffs.Records), "Time", _ => cutoffs.Records, cancellationToken),
            // Closed entries only, chosen by the service: an open one (Prepared, Queued) is an order not yet settled.
            await PurgeTableAsync(_outboxTable, TableOutboxStore.StatusFilter(ClosedStatuses) + " and " + OlderThan("UpdatedAt", cutoffs.Records),
                "UpdatedAt", _ => cutoffs.Records, cancellationToken),
            // The screen pop's cards name the caller: kept as long as the call log.
            await PurgeTableAsync(_agentCardsTable, OlderThan("CreatedAt", cutoffs.Records), "CreatedAt", _ => cutoffs.Records, cancellationToken),
        ];
    }

    internal static readonly OutboxStatus[] ClosedStatuses = [OutboxStatus.Committed, OutboxStatus.Aborted, OutboxStatus.Failed];

    /// <summary>
    /// Lets the service skip rows written after <paramref name="cutoff"/>, so a run reads the due rows, not the table. A
    /// superset: a row whose age property is recent but whose server Timestamp is older still comes back, and the age
    /// check on each row decides.
    /// </summary>
    private static string OlderThan(string ageProperty, DateTimeOffset cutoff)
    {
        var literal = TableOdataFilter.Literal(cutoff);
        return $"({ageProperty} lt {literal} or Timestamp lt {literal})";
    }

    private async Task<PurgedTable> PurgeTableAsync(
        string tableName, string? filter, string ageProperty, Func<TableEntity, DateTimeOffset> cutoffOf, CancellationToken cancellationToken)
    {
        var table = _service.GetTableClient(tableName);
        int deleted = 0, failed = 0;
        try
        {
            var pages = table.QueryAsync<TableEntity>(filter, _pageSize, ["PartitionKey", "RowKey", "Timestamp", ageProperty], cancellationToken).AsPages();
            await foreach (var page in pages.ConfigureAwait(false))
            {
                var due = page.Values.Where(row => (row.GetDateTimeOffset(ageProperty) ?? row.Timestamp) < cutoffOf(row));
                foreach (var rows in due.GroupBy(row => row.PartitionKey, StringComparer.Ordinal).SelectMany(p => p.Chunk(MaxPerTransaction)))
                {
                    DeleteOutcome outcome;
                    try
                    {
                        outcome = await DeleteAsync(table, rows, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        outcome = new DeleteOutcome(0, rows.Length, e);
                    }

                    deleted += outcome.Deleted;
                    if (outcome.FirstError is not null)
                    {
                        if (failed == 0) Log.DeleteFailed(_logger, outcome.FirstError, tableName, outcome.Failed);
                        failed += outcome.Failed;
                    }
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The table was never created: nothing was ever stored in it.
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ReadFailed(_logger, e, tableName);
        }

        return new PurgedTable(tableName, deleted, failed);
    }

    /// <param name="Deleted">Rows deleted (or already gone).</param>
    /// <param name="Failed">Rows left because a delete failed; rows written since they were read are neither.</param>
    private readonly record struct DeleteOutcome(int Deleted, int Failed, Exception? FirstError);

    /// <summary>
    /// The rows of one partition in one transaction, or one by one when a row changed or went since it was read.
    /// </summary>
    /// <exception cref="Exception">The transaction failed otherwise: nothing was deleted.</exception>
    private static async Task<DeleteOutcome> DeleteAsync(TableClient table, TableEntity[] rows, CancellationToken cancellationToken)
    {
        if (rows.Length > 1)
        {
            try
            {
                await table.SubmitTransactionAsync(rows.Select(row => new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)),
                    cancellationToken).ConfigureAwait(false);
                return new DeleteOutcome(rows.Length, 0, null);
            }
            catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
            {
                // One row went or changed since it was read, so nothing was applied: the rows one by one instead.
            }
        }

        int deleted = 0, failed = 0;
        Exception? firstError = null;
        foreach (var row in rows)
        {
            try
            {
                // A row already gone (404) counts as deleted.
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Written since it was read, so no longer due.
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The service answered the transaction a moment ago: the other rows are still worth a try.
                failed++;
                firstError ??= e;
            }
        }

        return new DeleteOutcome(deleted, failed, firstError);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3202, Level = LogLevel.Warning,
            Message = "Retention purge could not delete {Count} rows of table {Table}; they are left for the next run, the rest goes on")]
        public static partial void DeleteFailed(ILogger logger, Exception exception, string table, int count);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning,
            Message = "Retention purge could not read table {Table}; the next run tries again")]
        public static partial void ReadFailed(ILogger logger, Exception exception, string table);
    }
}
