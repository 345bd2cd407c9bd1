using Azure;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.Work.ServiceBus;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Work;

/// <summary>
/// The SweepOutbox timer's second part: sends the work the queue did not accept on the call path (parked in
/// <see cref="IUnsentWorkStore"/> by <c>TrySendWorkAsync</c>), oldest first, unchanged and with its MessageId, so
/// duplicate detection keeps a message single even if one of the call's sends did arrive. An entry is removed once
/// the queue accepts it; one the queue still refuses stays for the next pass. After
/// <see cref="FailuresBeforeGivingUpThePass"/> failed sends in a row that Service Bus did not answer (unreachable, timed
/// out, 5xx, throttled) the pass stops: the namespace is down, not the message. One it answered with a refusal about
/// the queue (401/403 access or quota, 404/410 no such queue) counts for that queue alone: after as many in a row the
/// rest of that queue waits for the next pass, and the other queues' work (an escalation behind call record changes)
/// goes on.
/// A message the queue refuses for what it is (<see cref="IsRefusedAsItIs"/>: invalid, or too large, which Service Bus
/// answers with a 403 like a full queue) does not count towards that: it would
/// be refused on every pass, and a few of them at the head of the list would otherwise keep everything behind them
/// parked. It stays parked for a person, logged as an error on every pass.
/// </summary>
public sealed partial class UnsentWorkSweeper(IUnsentWorkStore store, IWorkQueue queue, ILogger<UnsentWorkSweeper> logger)
{
    public const int FailuresBeforeGivingUpThePass = 3;

    public async Task<UnsentWorkSweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var parked = await store.ListAsync(cancellationToken);
        int sent = 0, failedInARow = 0;
        var refusedInARow = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var work in parked)
        {
            if (failedInARow >= FailuresBeforeGivingUpThePass) break;
            var message = work.Message;
            if (refusedInARow.GetValueOrDefault(message.QueueName) >= FailuresBeforeGivingUpThePass) continue;
            try
            {
                await queue.SendAsync(message, cancellationToken);
            }
            catch (Exception e) when (IsRefusedAsItIs(e))
            {
                Log.RefusedAsItIs(logger, e, message.Subject, Redact.Id(message.MessageId), message.QueueName, Redact.Id(work.CallId), work.ParkedAt);
                continue;
            }
            catch (Exception e) when (IsRefusedByTheQueue(e))
            {
                refusedInARow[message.QueueName] = refusedInARow.GetValueOrDefault(message.QueueName) + 1;
                Log.StillNotSent(logger, e, message.Subject, Redact.Id(message.MessageId), message.QueueName, Redact.Id(work.CallId), work.ParkedAt);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failedInARow++;
                Log.StillNotSent(logger, e, message.Subject, Redact.Id(message.MessageId), message.QueueName, Redact.Id(work.CallId), work.ParkedAt);
                continue;
            }

            failedInARow = 0;
            refusedInARow.Remove(message.QueueName);
            sent++;
            Log.Sent(logger, message.Subject, Redact.Id(message.MessageId), message.QueueName, Redact.Id(work.CallId), work.ParkedAt);
            try
            {
                await store.RemoveAsync(message.QueueName, message.MessageId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Delivered all the same; the next pass sends it again and duplicate detection drops the repeat.
                Log.NotRemoved(logger, e, message.Subject, Redact.Id(message.MessageId), message.QueueName);
            }
        }

        var result = new UnsentWorkSweepResult(parked.Count, sent);
        if (parked.Count > 0) Log.Swept(logger, result.Parked, result.Sent, result.Left);
        return result;
    }

    /// <summary>
    /// The message, not the queue: the sender found it invalid before sending (an argument it cannot carry, 413 over
    /// the size limit), or Service Bus answered 400 Bad Request, 413 Request Entity Too Large, or the 403 it gives a
    /// message over the size limit (error code <c>MessageSizeExceeded</c>, read from its detail by the sender).
    /// </summary>
    internal static bool IsRefusedAsItIs(Exception e) =>
        e is ArgumentException or NotSupportedException
        || e is RequestFailedException { Status: 400 or 413 }
        || e is RequestFailedException { ErrorCode: ServiceBusRequestFailedDetailsParser.MessageSizeExceeded };

    /// <summary>
    /// Service Bus answered, about this queue: access to it or its quota (401, 403), or no such queue (404, 410). Not 408
    /// or 429, which say the namespace is busy, and not 400/413 or a 403 for the message's size, which are about the
    /// message (<see cref="IsRefusedAsItIs"/>, checked first).
    /// </summary>
    internal static bool IsRefusedByTheQueue(Exception e) =>
        e is RequestFailedException { Status: 401 or 403 or 404 or 410 } && !IsRefusedAsItIs(e);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4301, Level = LogLevel.Information,
            Message = "Sent parked {Subject} {MessageId} to {Queue} (call {CallId}, parked at {ParkedAt:u})")]
        public static partial void Sent(ILogger logger, string subject, string messageId, string queue, string callId, DateTimeOffset parkedAt);

        [LoggerMessage(EventId = 4302, Level = LogLevel.Warning,
            Message = "Parked {Subject} {MessageId} still not accepted by {Queue} (call {CallId}, parked at {ParkedAt:u}); the next sweep tries again")]
        public static partial void StillNotSent(ILogger logger, Exception exception, string subject, string messageId, string queue, string callId, DateTimeOffset parkedAt);

        [LoggerMessage(EventId = 4303, Level = LogLevel.Warning,
            Message = "Parked {Subject} {MessageId} was sent to {Queue} but not removed; the next sweep sends it again as a duplicate")]
        public static partial void NotRemoved(ILogger logger, Exception exception, string subject, string messageId, string queue);

        [LoggerMessage(EventId = 4305, Level = LogLevel.Error,
            Message = "Parked {Subject} {MessageId} is refused by {Queue} as it is (call {CallId}, parked at {ParkedAt:u}); left parked for a person, the sweep goes on")]
        public static partial void RefusedAsItIs(ILogger logger, Exception exception, string subject, string messageId, string queue, string callId, DateTimeOffset parkedAt);

        [LoggerMessage(EventId = 4304, Level = LogLevel.Information, Message = "Unsent work sweep: {Parked} parked, {Sent} sent, {Left} left")]
        public static partial void Swept(ILogger logger, int parked, int sent, int left);
    }
}

/// <summary>What one pass did: the work found parked, how much of it the queue accepted, and what stays for the next pass.</summary>
public sealed record UnsentWorkSweepResult(int Parked = 0, int Sent = 0)
{
    public int Left => Parked - Sent;
}
