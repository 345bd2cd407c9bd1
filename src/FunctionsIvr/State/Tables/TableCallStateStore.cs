using System.Text.Json;
using Azure;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Call state in Table Storage: one row per call (PartitionKey = the call id as a key, <see cref="TableKeys.ForId"/>;
/// RowKey = <c>state</c>), the values as one JSON string (split across properties when long), the row's ETag as the
/// state's version.
/// Insert gives 409 when the row exists; replace gives 412 when the ETag no longer matches (404 if the row was
/// deleted meanwhile), exactly as the service answers.
/// </summary>
public sealed class TableCallStateStore : ICallStateStore
{
    public const string DefaultTableName = "callstate";
    private const string StateRowKey = "state";

    private readonly CreateOnceTable _table;
    private readonly TimeProvider _timeProvider;

    public TableCallStateStore(
        TableServiceClient service, TimeProvider timeProvider, ILogger<TableCallStateStore> logger, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new CreateOnceTable(service.GetTableClient(tableName), logger);
        _timeProvider = timeProvider;
    }

    public async Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default)
    {
        var response = await _table.RunAsync(
            table => table.GetEntityIfExistsAsync<TableEntity>(TableKeys.ForId(callId), StateRowKey, cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        if (!response.HasValue) return null;

        var entity = response.Value!;
        var json = SplitStringProperty.Read(entity, "Values");
        var values = string.IsNullOrEmpty(json)
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json)!, StringComparer.Ordinal);
        return new CallState(callId)
        {
            Values = values,
            ETag = entity.ETag,
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? entity.Timestamp ?? default,
        };
    }

    public async Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var now = _timeProvider.GetUtcNow();
        var entity = new TableEntity(TableKeys.ForId(state.CallId), StateRowKey) { ["UpdatedAt"] = now };
        SplitStringProperty.Write(entity, "Values", JsonSerializer.Serialize(state.Values));

        if (state.ETag == default)
        {
            await _table.RunAsync(table => table.AddEntityAsync(entity, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Replace, not merge: a shorter state must not keep the tail chunks of a longer one.
            await _table.RunAsync(table => table.UpdateEntityAsync(entity, state.ETag, TableUpdateMode.Replace, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }

        state.ETag = entity.ETag;
        state.UpdatedAt = now;
        return entity.ETag;
    }
}
