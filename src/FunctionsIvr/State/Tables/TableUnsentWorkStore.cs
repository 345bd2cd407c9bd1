using System.Text.Json;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// Parked work in Table Storage: PartitionKey = queue name (lower case: Service Bus names ignore case, keys do not),
/// RowKey = the MessageId as a key (<see cref="TableKeys.ForId"/>: message ids hold the call id, which may hold a
/// <c>/</c> or <c>#</c>; the id itself is kept in the <c>MessageId</c> property), so parking the same message again is
/// an in-place replace. The table stays small: a row lives from the failed send on the call path until the next sweep
/// that reaches the queue.
/// </summary>
public sealed class TableUnsentWorkStore : IUnsentWorkStore
{
    public const string DefaultTableName = "unsentwork";

    private readonly CreateOnceTable _table;

    public TableUnsentWorkStore(TableServiceClient service, ILogger<TableUnsentWorkStore> logger, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new CreateOnceTable(service.GetTableClient(tableName), logger);
    }

    public async Task ParkAsync(UnsentWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentException.ThrowIfNullOrEmpty(work.Message.QueueName);
        ArgumentException.ThrowIfNullOrEmpty(work.Message.MessageId);
        var entity = ToEntity(work);
        await _table.RunAsync(table => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
        work.ETag = entity.ETag;
    }

    public Task<IReadOnlyList<UnsentWork>> ListAsync(CancellationToken cancellationToken = default) =>
        _table.RunAsync(table => ListAsync(table, cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<UnsentWork>> ListAsync(TableClient table, CancellationToken cancellationToken)
    {
        var entries = new List<UnsentWork>();
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(FromEntity(entity));
        }

        // The service sorts by key; the sweep sends in the order the calls parked them.
        return entries.OrderBy(e => e.ParkedAt).ThenBy(e => e.Message.MessageId, StringComparer.Ordinal).ToList();
    }

    public async Task RemoveAsync(string queueName, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        await _table.RunAsync(table => table.DeleteEntityAsync(PartitionOf(queueName), TableKeys.ForId(messageId), cancellationToken: cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private static string PartitionOf(string queueName) => queueName.ToLowerInvariant();

    private static TableEntity ToEntity(UnsentWork work)
    {
        var message = work.Message;
        var entity = new TableEntity(PartitionOf(message.QueueName), TableKeys.ForId(message.MessageId))
        {
            ["MessageId"] = message.MessageId,
            ["QueueName"] = message.QueueName,
            ["Subject"] = message.Subject,
            ["ContentType"] = message.ContentType,
            ["CorrelationId"] = message.CorrelationId,
            ["ApplicationProperties"] = message.ApplicationProperties.Count == 0 ? null : JsonSerializer.Serialize(message.ApplicationProperties),
            ["ScheduledEnqueueTime"] = message.ScheduledEnqueueTime,
            ["TimeToLiveTicks"] = message.TimeToLive?.Ticks,
            ["CallId"] = work.CallId,
            ["ParkedAt"] = StoredDate.From(work.ParkedAt),
            // An error's text comes from elsewhere and has no bound; a park refused for its length would lose the work.
            ["LastError"] = SplitStringProperty.Cut(work.LastError),
        };
        SplitStringProperty.Write(entity, "Body", message.Body);
        return entity;
    }

    private static UnsentWork FromEntity(TableEntity entity)
    {
        var properties = entity.GetString("ApplicationProperties") is { Length: > 0 } json
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []
            : new Dictionary<string, string>();
        var message = new WorkMessage
        {
            QueueName = entity.GetString("QueueName") ?? entity.PartitionKey,
            // Rows parked before the id was kept as a property have it as their RowKey, unescaped.
            MessageId = entity.GetString("MessageId") ?? entity.RowKey,
            Subject = entity.GetString("Subject") ?? "",
            Body = SplitStringProperty.Read(entity, "Body") ?? "",
            ContentType = entity.GetString("ContentType") ?? "application/json",
            CorrelationId = entity.GetString("CorrelationId"),
            ApplicationProperties = properties,
            ScheduledEnqueueTime = entity.GetDateTimeOffset("ScheduledEnqueueTime"),
            TimeToLive = entity.GetInt64("TimeToLiveTicks") is { } ticks ? TimeSpan.FromTicks(ticks) : null,
        };
        return new UnsentWork(message)
        {
            CallId = entity.GetString("CallId") ?? "",
            ParkedAt = entity.GetDateTimeOffset("ParkedAt") ?? default,
            LastError = entity.GetString("LastError"),
            ETag = entity.ETag,
        };
    }
}
