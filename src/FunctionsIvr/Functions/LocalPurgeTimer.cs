using FunctionsIvr.State;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Functions;

/// <summary>
/// Runs the PurgeState work on a schedule when no Functions host is there to trigger it (a local run), so the in-memory
/// stores keep what Azure keeps. Under the host (FUNCTIONS_CUSTOMHANDLER_PORT set) the timer trigger does it.
/// </summary>
public sealed partial class LocalPurgeTimer(IServiceProvider services, IOptions<LocalPurgeTimerOptions> options, TimeProvider time,
    ILogger<LocalPurgeTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // StateRetention logs what went, per table.
                await FunctionEndpoints.PurgeAsync(services, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again, as the host's timer would.
                Log.PurgeFailed(logger, e);
            }
        }
    }

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
