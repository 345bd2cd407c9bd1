namespace FunctionsIvr.Functions;

/// <summary>
/// A timer function's work on a schedule when no Functions host is there to trigger it (a local run), so the embedded
/// defaults behave like Azure. Under the host (FUNCTIONS_CUSTOMHANDLER_PORT set) the timer trigger does it. A failed run
/// is reported and the next tick tries again, as the host's timer would.
/// </summary>
public abstract class LocalTimer(TimeSpan interval, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failed(e);
            }
        }
    }

    protected abstract Task RunOnceAsync(CancellationToken stoppingToken);

    protected abstract void Failed(Exception exception);
}
