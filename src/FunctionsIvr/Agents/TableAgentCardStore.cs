using Azure;
using System.Globalization;
using System.Text.Json;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Agents;

/// <summary>
/// Cards in Table Storage (table <c>agentcards</c>): PartitionKey = the login as a key (<see cref="TableKeys.ForId"/>:
/// a queue or number may hold a <c>/</c> or <c>#</c>), RowKey = the card id zero-padded to 19 digits (ids are Unix
/// microseconds, so rows sort oldest first and stay exact as JavaScript numbers), the card itself as JSON. A partition
/// holds at most a few rows, so adding reads it whole: to find a repeated card and to drop the oldest beyond ten.
/// </summary>
public sealed class TableAgentCardStore : IAgentCardStore
{
    public const string DefaultTableName = "agentcards";

    /// <summary>Tries at a free id when other cards of the login are added at the same moment (one per card written meanwhile).</summary>
    private const int MaxAddAttempts = IAgentCardStore.KeptPerLogin;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CreateOnceTable _table;
    private readonly TimeProvider _time;

    public TableAgentCardStore(TableServiceClient service, TimeProvider time, ILogger<TableAgentCardStore> logger, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        _table = new CreateOnceTable(service.GetTableClient(tableName), logger);
        _time = time;
    }

    public Task<AgentCard> AddAsync(AgentCard card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        // A table deleted while the app runs (cleared by hand) is created again, so screen pops do not fail until a restart.
        return _table.RunAsync(table => AddAsync(table, card, cancellationToken), cancellationToken);
    }

    private async Task<AgentCard> AddAsync(TableClient table, AgentCard card, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await ReadAsync(table, card.Login, 0, cancellationToken).ConfigureAwait(false);
            if (existing.Find(c => c.Key == card.Key) is { } same) return same;

            var lastId = existing.Count == 0 ? 0 : existing[^1].Id;
            var stored = card with { Id = Math.Max(lastId + 1, _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000) };
            var entity = new TableEntity(TableKeys.ForId(card.Login), RowKey(stored.Id)) { ["CreatedAt"] = stored.CreatedAt };
            // A long menu path or many complaints can pass what one property holds.
            SplitStringProperty.Write(entity, "Card", JsonSerializer.Serialize(stored, Json));
            try
            {
                // Inserted, never replaced: two transfers to one login (a busy queue) at the same moment take the same
                // id, and the second card would silently overwrite the first. The one that loses reads again.
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < MaxAddAttempts)
            {
                continue;
            }

            foreach (var old in existing.Take(Math.Max(0, existing.Count + 1 - IAgentCardStore.KeptPerLogin)))
            {
                await table.DeleteEntityAsync(TableKeys.ForId(card.Login), RowKey(old.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return stored;
        }
    }

    public async Task<IReadOnlyList<AgentCard>> ListAsync(string login, long afterId = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(login);
        var cards = await _table.RunAsync(table => ReadAsync(table, login, afterId, cancellationToken), cancellationToken).ConfigureAwait(false);
        cards.Reverse();
        return cards;
    }

    private static async Task<List<AgentCard>> ReadAsync(TableClient table, string login, long afterId, CancellationToken cancellationToken)
    {
        var after = RowKey(Math.Max(afterId, 0));
        var cards = new List<AgentCard>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.ForId(login)} and RowKey gt {after}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (SplitStringProperty.Read(entity, "Card") is { } json && JsonSerializer.Deserialize<AgentCard>(json, Json) is { } card) cards.Add(card);
        }

        return cards;
    }

    private static string RowKey(long id) => id.ToString("D19", CultureInfo.InvariantCulture);
}
