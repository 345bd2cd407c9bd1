using FunctionsIvr.CallRecords;

namespace FunctionsIvr.State;

/// <summary>
/// Deletes what the state storage keeps past its use (<see cref="StateRetention"/> says what and when). A seam: in memory
/// locally, Table Storage in Azure. Never throws for a storage failure: what could not be deleted is counted and logged,
/// and the next run tries again.
/// </summary>
public interface IStatePurge
{
    /// <summary>
    /// Deletes call state, call log lines, closed outbox entries and agent cards last written before their cutoff; open
    /// outbox entries never.
    /// </summary>
    Task<IReadOnlyList<PurgedTable>> PurgeAsync(RetentionCutoffs cutoffs, CancellationToken cancellationToken = default);
}

/// <summary>
/// Rows last written before these times go: call state before <see cref="CallState"/>; the call log, the ERP call
/// record merge rows (kept in the call state store), closed outbox entries and agent cards before <see cref="Records"/>.
/// </summary>
public sealed record RetentionCutoffs(DateTimeOffset CallState, DateTimeOffset Records)
{
    /// <summary>The cutoff of one call state store key: the call record merge rows are kept as long as the call log.</summary>
    public DateTimeOffset ForCallStateKey(string key) =>
        key.StartsWith(MergedCallRecord.StoreKeyPrefix, StringComparison.Ordinal) ? Records : CallState;
}

/// <summary>One table's purge: rows deleted, and rows due that could not be deleted (left for the next run).</summary>
public sealed record PurgedTable(string Table, int Deleted, int Failed);
