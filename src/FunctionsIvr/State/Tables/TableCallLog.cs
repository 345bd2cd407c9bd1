using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// The call log in Table Storage: PartitionKey = the call id as a key (<see cref="TableKeys.ForId"/>), RowKey = the
/// sequence zero-padded to ten digits, so rows sort in sequence order and a repeated callback (same sequence) replaces
/// its own row.
/// </summary>
public sealed class TableCallLog : ICallLog
{
    public const string DefaultTableName = "calllog";

    private readonly CreateOnceTable _table;

    public TableCallLog(TableServiceClient service, ILogger<TableCallLog> logger, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new CreateOnceTable(service.GetTableClient(tableName), logger);
    }

    public async Task AppendAsync(CallLogEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentOutOfRangeException.ThrowIfNegative(entry.Sequence);
        var entity = new TableEntity(TableKeys.ForId(entry.CallId), entry.Sequence.ToString("D10", CultureInfo.InvariantCulture))
        {
            ["Time"] = StoredDate.From(entry.Time),
            ["Step"] = Cut(entry.Step),
            ["EventName"] = Cut(entry.EventName),
            ["EventData"] = Cut(entry.EventData),
            ["ActionType"] = Cut(entry.ActionType),
            ["Action"] = Cut(entry.Action),
            ["NextStep"] = Cut(entry.NextStep),
            ["DurationMs"] = entry.DurationMs,
            ["ErpCalls"] = Cut(entry.ErpCalls),
            ["Note"] = entry.Note is null ? null : Cut(entry.Note),
        };
        await _table.RunAsync(table => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<CallLogEntry>> ReadAsync(string callId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callId);
        return await _table.RunAsync(table => ReadAsync(table, callId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<CallLogEntry>> ReadAsync(TableClient table, string callId, CancellationToken cancellationToken)
    {
        var entries = new List<CallLogEntry>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.ForId(callId)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new CallLogEntry
            {
                CallId = callId,
                Sequence = int.Parse(entity.RowKey, NumberStyles.None, CultureInfo.InvariantCulture),
                Time = entity.GetDateTimeOffset("Time") ?? default,
                Step = entity.GetString("Step") ?? "",
                EventName = entity.GetString("EventName") ?? "",
                EventData = entity.GetString("EventData") ?? "",
                ActionType = entity.GetString("ActionType") ?? "",
                Action = entity.GetString("Action") ?? "",
                NextStep = entity.GetString("NextStep") ?? "",
                DurationMs = entity.GetDouble("DurationMs") ?? 0,
                ErpCalls = entity.GetString("ErpCalls") ?? "",
                Note = entity.GetString("Note"),
            });
        }

        return entries;
    }

    /// <summary>Longer text is cut (with an ellipsis): a log line must never fail a call for being too long.</summary>
    private static string Cut(string text) => SplitStringProperty.Cut(text);
}
