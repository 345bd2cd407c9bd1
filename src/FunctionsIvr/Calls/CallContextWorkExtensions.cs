using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

public static partial class CallContextWorkExtensions
{
    private const int Attempts = 2;

    /// <summary>
    /// Queues out-of-band work without putting the call at risk: a failed send is tried once more (MessageIds are
    /// stable, so a send that did arrive the first time is dropped as a duplicate); if the queue still does not take
    /// it, the message is parked in the state storage (<see cref="IUnsentWorkStore"/>) and the outbox sweep sends it
    /// later with the same MessageId. Returns whether the work will be delivered: true when the queue accepted it or
    /// it was parked, false only when parking failed too (the message is lost, logged as an error) or no queue is
    /// registered. Either way it is noted in the call log and the call goes on.
    /// </summary>
    /// <remarks>
    /// Each try is bounded by <see cref="CallEngineOptions.QueueSendTimeoutMs"/> and parking by
    /// <see cref="CallEngineOptions.ParkWorkTimeoutMs"/>, so a queue and a storage that are both down fail within the
    /// callback's holding prompts. A flow may promise the caller what depends on the work (a call back) when this
    /// returns true.
    /// </remarks>
    public static async Task<bool> TrySendWorkAsync(this CallContext ctx, WorkMessage message)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(message);
        var logger = ctx.Services.GetService<ILoggerFactory>()?.CreateLogger(typeof(CallContextWorkExtensions).FullName!)
                     ?? NullLogger.Instance;
        var queue = ctx.Services.GetService<IWorkQueue>();
        if (queue is null)
        {
            Log.NoQueue(logger, ctx.CallId, message.Subject);
            ctx.Note($"{message.Subject} not queued: no work queue is registered");
            return false;
        }

        var options = ctx.Services.GetService<IOptions<CallEngineOptions>>()?.Value ?? new CallEngineOptions();
        var parkTimeout = TimeSpan.FromMilliseconds(options.ParkWorkTimeoutMs);
        if (ctx.WorkQueueFailed)
        {
            // The queue failed this callback's earlier work moments ago; two more waits on it would only keep the caller.
            return await ParkAsync(ctx, message, sendError: null, "(the queue failed earlier in this callback)", parkTimeout, logger);
        }

        var timeout = TimeSpan.FromMilliseconds(options.QueueSendTimeoutMs);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var attemptTimeout = new CancellationTokenSource(timeout, ctx.Time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken, attemptTimeout.Token);
                await queue.SendAsync(message, linked.Token);
                return true;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ctx.CancellationToken.IsCancellationRequested))
            {
                // Broad on purpose: whatever the queue throws, the caller keeps the call; the log keeps the reason.
                if (attempt < Attempts)
                {
                    Log.SendRetried(logger, e, ctx.CallId, message.Subject, Redact.Id(message.MessageId));
                    continue;
                }

                ctx.WorkQueueFailed = true;
                return await ParkAsync(ctx, message, e, $"after {Attempts} tries ({e.GetType().Name})", parkTimeout, logger);
            }
        }
    }

    /// <param name="notQueued">Why the message was not queued, for the call log: "after 2 tries (HttpRequestException)".</param>
    private static async Task<bool> ParkAsync(
        CallContext ctx, WorkMessage message, Exception? sendError, string notQueued, TimeSpan timeout, ILogger logger)
    {
        var messageId = Redact.Id(message.MessageId);
        var store = ctx.Services.GetService<IUnsentWorkStore>();
        if (store is null)
        {
            Log.Lost(logger, sendError, ctx.CallId, message.Subject, messageId, message.QueueName, $"not queued {notQueued}; no unsent work store is registered");
            ctx.Note($"{message.Subject} not queued {notQueued} and not parked: lost");
            return false;
        }

        try
        {
            using var parkTimeout = new CancellationTokenSource(timeout, ctx.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken, parkTimeout.Token);
            await store.ParkAsync(new UnsentWork(message)
            {
                CallId = ctx.CallId,
                ParkedAt = ctx.Time.GetUtcNow(),
                LastError = sendError is null ? notQueued : sendError.GetType().Name + ": " + sendError.Message,
            }, linked.Token);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ctx.CancellationToken.IsCancellationRequested))
        {
            // Storage is down as well: the one case where the work is lost. The error log is all that is left of it.
            Log.Lost(logger, e, ctx.CallId, message.Subject, messageId, message.QueueName, $"not queued {notQueued}; parking failed with {e.GetType().Name}");
            ctx.Note($"{message.Subject} not queued {notQueued} and not parked ({e.GetType().Name}): lost");
            return false;
        }

        Log.Parked(logger, sendError, ctx.CallId, message.Subject, messageId, message.QueueName, notQueued);
        ctx.Note($"{message.Subject} not queued {notQueued}: parked, the outbox sweep sends it");
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Call {CallId}: sending {Subject} {MessageId} failed, trying once more")]
        public static partial void SendRetried(ILogger logger, Exception exception, string callId, string subject, string messageId);

        [LoggerMessage(EventId = 2402, Level = LogLevel.Warning,
            Message = "Call {CallId}: {Subject} {MessageId} was not queued on {Queue} ({NotQueued}); parked, the outbox sweep sends it")]
        public static partial void Parked(ILogger logger, Exception? exception, string callId, string subject, string messageId, string queue, string notQueued);

        [LoggerMessage(EventId = 2403, Level = LogLevel.Error,
            Message = "Call {CallId}: {Subject} {MessageId} was not queued on {Queue} and could not be parked ({Reason}); it is lost")]
        public static partial void Lost(ILogger logger, Exception? exception, string callId, string subject, string messageId, string queue, string reason);

        [LoggerMessage(EventId = 2404, Level = LogLevel.Error, Message = "Call {CallId}: {Subject} not queued: no IWorkQueue is registered")]
        public static partial void NoQueue(ILogger logger, string callId, string subject);
    }
}
