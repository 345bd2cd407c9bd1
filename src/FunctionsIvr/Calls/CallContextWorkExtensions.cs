using FunctionsIvr.Hosting;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

public static partial class CallContextWorkExtensions
{
    private const int Attempts = 2;

    /// <summary>
    /// Queues out-of-band work without putting the call at risk: a failed send is tried once more (MessageIds are
    /// stable, so a send that did arrive the first time is dropped as a duplicate), then logged and noted in the call
    /// log, and the call goes on. Returns whether the queue accepted the message.
    /// </summary>
    /// <remarks>
    /// A message that is not accepted is lost: what it carried (an escalation, a call record change) is only in the
    /// log and the call log notes, so a flow must not promise the caller what depends on it. Each try is bounded by
    /// <see cref="CallEngineOptions.QueueSendTimeoutMs"/>, so a queue that is down fails within the callback's budget.
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

        var timeout = TimeSpan.FromMilliseconds(ctx.Services.GetService<IOptions<CallEngineOptions>>()?.Value.QueueSendTimeoutMs ?? 1000);
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

                Log.NotSent(logger, e, ctx.CallId, message.Subject, Redact.Id(message.MessageId), message.QueueName);
                ctx.Note($"{message.Subject} not queued after {Attempts} tries: {e.GetType().Name}");
                return false;
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Call {CallId}: sending {Subject} {MessageId} failed, trying once more")]
        public static partial void SendRetried(ILogger logger, Exception exception, string callId, string subject, string messageId);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Call {CallId}: {Subject} {MessageId} was not queued on {Queue}; it is lost unless repeated")]
        public static partial void NotSent(ILogger logger, Exception exception, string callId, string subject, string messageId, string queue);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Call {CallId}: {Subject} not queued: no IWorkQueue is registered")]
        public static partial void NoQueue(ILogger logger, string callId, string subject);
    }
}
