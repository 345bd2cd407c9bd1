using Microsoft.Extensions.Options;

namespace FunctionsIvr.Functions;

/// <summary>The PurgeState work in a local run, so the in-memory stores keep what Azure keeps.</summary>
public sealed partial class LocalPurgeTimer(IServiceProvider services, IOptions<LocalPurgeTimerOptions> options, TimeProvider time,
    ILogger<LocalPurgeTimer> logger) : LocalTimer(options.Value.Interval, time)
{
    // StateRetention logs what went, per table.
    protected override Task RunOnceAsync(CancellationToken stoppingToken) => FunctionEndpoints.PurgeAsync(services, stoppingToken);

    protected override void Failed(Exception exception) => Log.PurgeFailed(logger, exception);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3204, Level = LogLevel.Error, Message = "Local retention purge failed")]
        public static partial void PurgeFailed(ILogger logger, Exception exception);
    }
}

public sealed class LocalPurgeTimerOptions
{
    public const string SectionName = "PurgeState";

    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);
}
