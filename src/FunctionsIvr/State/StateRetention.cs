using Microsoft.Extensions.Options;

namespace FunctionsIvr.State;

/// <summary>
/// The daily purge (PurgeState): call state not written for a day (no call lasts that long) and, after
/// <see cref="StateOptions.RetentionDays"/>, the call log, the ERP call record merge rows and closed outbox entries.
/// Open outbox entries (Prepared, Queued) are orders not yet settled and stay whatever their age.
/// </summary>
public sealed partial class StateRetention(IStatePurge purge, IOptions<StateOptions> options, TimeProvider time, ILogger<StateRetention> logger)
{
    public static readonly TimeSpan CallStateAge = TimeSpan.FromDays(1);

    /// <summary>Runs one purge and logs what went per table (counts only); returns the same as lines for the invocation log.</summary>
    public async Task<IReadOnlyList<string>> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cutoffs = new RetentionCutoffs(now - CallStateAge, now - TimeSpan.FromDays(options.Value.RetentionDays));
        var lines = new List<string>();
        foreach (var table in await purge.PurgeAsync(cutoffs, cancellationToken))
        {
            Log.Purged(logger, table.Table, table.Deleted, table.Failed);
            lines.Add($"{table.Table}: {table.Deleted} deleted, {table.Failed} left after a failure");
        }

        return lines;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Information,
            Message = "Retention purge of table {Table}: {Deleted} rows deleted, {Failed} left after a failure")]
        public static partial void Purged(ILogger logger, string table, int deleted, int failed);
    }
}
