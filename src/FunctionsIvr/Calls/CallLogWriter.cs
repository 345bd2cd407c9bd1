using System.Diagnostics;
using FunctionsIvr.State;

namespace FunctionsIvr.Calls;

/// <summary>
/// Writes each callback's call log line without holding the caller's answer: the write starts when the answer is ready
/// and finishes, or fails, on its own. Table Storage round trips (milliseconds in Azure, far more when it is slow or
/// down) therefore never add to a callback. Writes still in flight are bounded (<see cref="MaxPendingWrites"/>): when
/// storage cannot keep up, further lines are dropped and counted rather than piling up in memory; the call itself,
/// its Session, orders and escalations do not depend on the call log. On shutdown the writes in flight are awaited.
/// </summary>
public sealed partial class CallLogWriter(ICallLog callLog, TimeProvider time, ILogger<CallLogWriter> logger) : IHostedService
{
    /// <summary>About 1 MB of lines waiting for storage at most.</summary>
    public const int MaxPendingWrites = 2000;

    private static readonly TimeSpan DropReportInterval = TimeSpan.FromSeconds(10);

    private int _pending;
    private long _dropped;
    private long _droppedReported;
    private long _lastDropReport;

    /// <summary>Lines started and not finished yet.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Lines dropped because storage had <see cref="MaxPendingWrites"/> lines in flight already.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Starts writing <paramref name="entry"/>; returns at once (a line the store takes synchronously is written already).</summary>
    public void Write(CallLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (Interlocked.Increment(ref _pending) > MaxPendingWrites)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            ReportDrops();
            return;
        }

        Task write;
        try
        {
            write = callLog.AppendAsync(entry);
        }
        catch (Exception e)
        {
            Log.NotWritten(logger, e, entry.CallId, entry.Sequence);
            Interlocked.Decrement(ref _pending);
            return;
        }

        if (write.IsCompleted)
        {
            Finish(write, entry);
            return;
        }

        _ = write.ContinueWith(static (done, state) =>
        {
            var (writer, line) = ((CallLogWriter, CallLogEntry))state!;
            writer.Finish(done, line);
        }, (this, entry), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until the lines in flight are written, or <paramref name="timeout"/> has passed; false when some are still in flight.</summary>
    /// <remarks>Measured on the real clock: it bounds how long a stopping process lingers, whatever clock the calls run on.</remarks>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var waited = Stopwatch.StartNew();
        while (Pending > 0)
        {
            if (waited.Elapsed >= timeout || cancellationToken.IsCancellationRequested) return false;
            await Task.Delay(TimeSpan.FromMilliseconds(10), CancellationToken.None);
        }

        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A graceful stop keeps the lines of the last callbacks.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!await FlushAsync(TimeSpan.FromSeconds(5), cancellationToken)) Log.StoppedWithPending(logger, Pending);
    }

    /// <summary>Logs a failure before the line stops counting as pending: a flush or a stop that sees nothing pending has every failure logged.</summary>
    private void Finish(Task write, CallLogEntry entry)
    {
        if (write.Exception is { } failure) Log.NotWritten(logger, failure.GetBaseException(), entry.CallId, entry.Sequence);
        else if (write.IsCanceled) Log.NotWritten(logger, null, entry.CallId, entry.Sequence);
        Interlocked.Decrement(ref _pending);
    }

    /// <summary>One warning per interval with the count, not one per dropped line: storage is struggling already.</summary>
    private void ReportDrops()
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastDropReport);
        if (last != 0 && time.GetElapsedTime(last, now) < DropReportInterval) return;
        if (Interlocked.CompareExchange(ref _lastDropReport, now, last) != last) return;
        var dropped = Dropped;
        var since = dropped - Interlocked.Exchange(ref _droppedReported, dropped);
        Log.Dropped(logger, since, MaxPendingWrites);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Call {CallId}: call log line {Sequence} not written")]
        public static partial void NotWritten(ILogger logger, Exception? exception, string callId, int sequence);

        [LoggerMessage(EventId = 2106, Level = LogLevel.Warning,
            Message = "Call log: {Dropped} lines dropped, {MaxPending} writes already waiting for storage")]
        public static partial void Dropped(ILogger logger, long dropped, int maxPending);

        [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Call log: stopped with {Pending} lines still being written")]
        public static partial void StoppedWithPending(ILogger logger, int pending);
    }
}
