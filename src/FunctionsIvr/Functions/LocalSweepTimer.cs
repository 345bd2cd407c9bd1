using Microsoft.Extensions.Options;

namespace FunctionsIvr.Functions;

/// <summary>
/// Runs the SweepOutbox work on a schedule when no Functions host is there to trigger it (a local run), so the
/// embedded defaults behave like Azure. Under the host (FUNCTIONS_CUSTOMHANDLER_PORT set) the timer trigger does it.
/// </summary>
public sealed partial class LocalSweepTimer(IServiceProvider services, IOptions<LocalSweepTimerOptions> options, TimeProvider time,
    ILogger<LocalSweepTimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var line in await FunctionEndpoints.SweepAsync(services, stoppingToken)) Log.Swept(logger, line);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next tick tries again, as the host's timer would.
                Log.SweepFailed(logger, e);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "{Line}")]
        public static partial void Swept(ILogger logger, string line);

        [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "Local outbox sweep failed")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}

public sealed class LocalSweepTimerOptions
{
    public const string SectionName = "SweepOutbox";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);
}
