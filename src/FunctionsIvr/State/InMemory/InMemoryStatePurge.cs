using FunctionsIvr.Agents;

namespace FunctionsIvr.State.InMemory;

/// <summary>
/// The retention purge of the in-memory stores, with the Table Storage rules (<see cref="Tables.TableStatePurge"/>), so a
/// local run keeps what Azure keeps. Reports under the Table Storage table names.
/// </summary>
public sealed class InMemoryStatePurge(
    InMemoryCallStateStore callState, InMemoryCallLog callLog, InMemoryOutboxStore outbox, IAgentCardStore? agentCards = null) : IStatePurge
{
    public Task<IReadOnlyList<PurgedTable>> PurgeAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cutoffs);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<PurgedTable> purged =
        [
            new(Tables.TableCallStateStore.DefaultTableName, callState.Purge(cutoffs), 0),
            new(Tables.TableCallLog.DefaultTableName, callLog.Purge(cutoffs.Records), 0),
            new(Tables.TableOutboxStore.DefaultTableName, outbox.Purge(cutoffs.Records), 0),
            // The cards of a local run are in memory only when Table Storage is not configured for them.
            new(TableAgentCardStore.DefaultTableName, (agentCards as InMemoryAgentCardStore)?.Purge(cutoffs.Records) ?? 0, 0),
        ];
        return Task.FromResult(purged);
    }
}
