using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.Work;

namespace FunctionsIvr.CallRecords;

/// <summary>
/// The <c>call-records</c> queue's processor: writes the ERP's call record out of band. It keeps no state, so any
/// instance can take any message: an update finds its record by creating it again (the ERP's create is idempotent per
/// call, <c>Idempotency-Key: call-{CallId}</c>), which also covers an update that arrives before its open.
/// Every failure throws, so the message is redelivered and finally dead-lettered, never dropped.
/// </summary>
public sealed partial class CallRecordProcessor(ErpClient erp, ILogger<CallRecordProcessor> logger) : IWorkProcessor
{
    public string QueueName => QueueNames.CallRecords;

    /// <exception cref="InvalidDataException">Unknown subject or a body that is not the command.</exception>
    /// <exception cref="ErpException">The ERP failed; <see cref="ErpErrorKind.NotFound"/> on the update means the record is not there yet.</exception>
    public async Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = work.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = Redact.Id(message.MessageId),
            ["CallId"] = Redact.Id(message.CorrelationId),
        });

        switch (message.Subject)
        {
            case CallRecordMessages.OpenSubject:
                var open = CallRecordMessages.Parse<OpenCallRecord>(message.Body, message.MessageId);
                var opened = await erp.CreateCallRecordAsync(open.ToCreateRequest(), cancellationToken);
                Log.Opened(logger, Redact.Id(open.CallId), Redact.Id(opened.Id));
                break;

            case CallRecordMessages.UpdateSubject:
                var update = CallRecordMessages.Parse<UpdateCallRecord>(message.Body, message.MessageId);
                if (update.Open is null) throw new InvalidDataException($"Message {message.MessageId}: the update carries no open command.");
                var record = await erp.CreateCallRecordAsync(update.Open.ToCreateRequest(), cancellationToken);
                await erp.UpdateCallRecordAsync(record.Id, update.ToUpdateRequest(), cancellationToken);
                Log.Updated(logger, Redact.Id(update.CallId), Redact.Id(record.Id), update.Outcome ?? "");
                break;

            default:
                throw new InvalidDataException($"Message {message.MessageId}: subject '{message.Subject}' is not a call record command.");
        }
    }

    private static partial class Log
    {
        // Debug: every call opens one, the invocation is in `requests` already and both ids are masked here; a
        // failure is logged by the dispatcher or the Functions host with the message id.
        [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "Call {CallId}: ERP call record {RecordId} opened")]
        public static partial void Opened(ILogger logger, string callId, string recordId);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Call {CallId}: ERP call record {RecordId} updated, outcome {Outcome}")]
        public static partial void Updated(ILogger logger, string callId, string recordId, string outcome);
    }
}
