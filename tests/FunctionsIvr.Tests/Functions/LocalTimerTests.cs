using FunctionsIvr.Functions;
using FunctionsIvr.Tests.Fakes;

namespace FunctionsIvr.Tests.Functions;

public class LocalTimerTests
{
    [Fact]
    public async Task Run_EveryInterval_AndAFailedRunDoesNotStopTheNext()
    {
        // A local run's outbox sweep and retention purge: one failure (storage down for a moment) must not end the schedule.
        var time = new ManualTimeProvider();
        using var timer = new CountingTimer(TimeSpan.FromMinutes(1), time, failOnRun: 1);
        await timer.StartAsync(CancellationToken.None);
        // The loop starts on the thread pool: a tick before it has armed its PeriodicTimer would fall on no timer.
        await WaitUntilAsync(() => time.TimerCount > 0);

        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await timer.WaitForRunsAsync(tick);
        }

        Assert.Equal(3, timer.Runs);
        Assert.Single(timer.Failures);
        await timer.StopAsync(CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && waited.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(10);
    }

    private sealed class CountingTimer(TimeSpan interval, TimeProvider time, int failOnRun) : LocalTimer(interval, time)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public List<Exception> Failures { get; } = [];

        /// <summary>The loop runs on the thread pool, which a full test run keeps busy: a generous wait, ended by the run.</summary>
        public Task WaitForRunsAsync(int runs) => WaitUntilAsync(() => Runs >= runs);

        protected override Task RunOnceAsync(CancellationToken stoppingToken)
        {
            var run = Interlocked.Increment(ref _runs);
            return run == failOnRun ? Task.FromException(new InvalidOperationException("storage down")) : Task.CompletedTask;
        }

        protected override void Failed(Exception exception)
        {
            lock (Failures) Failures.Add(exception);
        }
    }
}
