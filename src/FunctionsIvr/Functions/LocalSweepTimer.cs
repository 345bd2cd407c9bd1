using Microsoft.Extensions.Options;

namespace FunctionsIvr.Functions;

/// <summary>The SweepOutbox work in a local run.</summary>
public sealed partial class LocalSweepTimer(IServiceProvider services, IOptions<LocalSweepTimerOptions> options, TimeProvider time,
    ILogger<LocalSweepTimer> logger) : LocalTimer(options.Value.Interval, time)
{
    protected override async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        foreach (var line in await FunctionEndpoints.SweepAsync(services, stoppingToken)) Log.Swept(logger, line);
    }

    protected override void Failed(Exception exception) => Log.SweepFailed(logger, exception);

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
