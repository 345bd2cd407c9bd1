using System.Globalization;
using Azure;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.Work;

namespace FunctionsIvr.CallRecords;

/// <summary>
/// The <c>call-records</c> queue's processor: writes the ERP's call record out of band. Any instance can take any
/// message: an update finds its record by creating it again (the ERP's create is idempotent per call,
/// <c>Idempotency-Key: call-{CallId}</c>), which also covers an update that arrives before its open. Updates may be
/// processed out of order, so each is merged into the call's <see cref="MergedCallRecord"/> in the call state store
/// and the ERP is sent the merged whole. Every ERP failure throws, so the message is redelivered and finally
/// dead-lettered, never dropped.
/// </summary>
public sealed partial class CallRecordProcessor(ErpClient erp, ICallStateStore store, ILogger<CallRecordProcessor> logger) : IWorkProcessor
{
    /// <summary>Merges lost to another update of the same call, or sends overtaken by one, before the message is retried.</summary>
    private const int MaxRounds = 5;

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
                var open = await WithFirstStartAsync(CallRecordMessages.Parse<OpenCallRecord>(message.Body, message.MessageId), cancellationToken);
                var opened = await erp.CreateCallRecordAsync(open.ToCreateRequest(), cancellationToken);
                Log.Opened(logger, Redact.Id(open.CallId), Redact.Id(opened.Id));
                break;

            case CallRecordMessages.UpdateSubject:
                var update = CallRecordMessages.Parse<UpdateCallRecord>(message.Body, message.MessageId);
                if (update.Open is null) throw new InvalidDataException($"Message {Redact.Id(message.MessageId)}: the update carries no open command.");
                var record = await erp.CreateCallRecordAsync((await WithFirstStartAsync(update.Open, cancellationToken)).ToCreateRequest(), cancellationToken);
                UpdateCallRecordRequest sent;
                if (update.Number is { } number)
                {
                    sent = await UpdateInOrderAsync(record.Id, update, number, cancellationToken);
                }
                else
                {
                    // Queued before updates carried their number: applied as it comes.
                    sent = update.ToUpdateRequest();
                    await erp.UpdateCallRecordAsync(record.Id, sent, cancellationToken);
                }

                Log.Updated(logger, Redact.Id(update.CallId), Redact.Id(record.Id), WhatWasSet(sent));
                break;

            default:
                throw new InvalidDataException($"Message {Redact.Id(message.MessageId)}: subject '{message.Subject}' is not a call record command.");
        }
    }

    /// <summary>The call state row holding the start time every open of a call is sent with.</summary>
    public const string FirstStartKeyPrefix = "callstart-";

    /// <summary>
    /// The open with the call's first start time. The ERP keys the record by the call (<c>Idempotency-Key: call-{id}</c>)
    /// and refuses the key with another body (422); a repeated first callback, or one replayed on another instance,
    /// queues an open with another start time, and every later update re-sends its callback's open. The first start
    /// time seen here is kept (a call state row, inserted only when absent) and every open of the call goes with it.
    /// With the state storage down, the message's own: a 422 then fails the delivery, and a later one finds the row.
    /// </summary>
    private async Task<OpenCallRecord> WithFirstStartAsync(OpenCallRecord open, CancellationToken cancellationToken)
    {
        var key = FirstStartKeyPrefix + open.CallId;
        try
        {
            // Read first: after a call's first open, every later message finds the row, and an insert would only fail.
            if (await FirstStartAsync(key, cancellationToken) is { } known) return open with { StartedAt = known };
            await store.SaveAsync(new CallState(key) { Values = { [FirstStartProperty] = ToSeconds(open.StartedAt) } }, cancellationToken);
            return open;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another open of the call got there between the read and the insert.
            return await FirstStartAsync(key, cancellationToken) is { } first ? open with { StartedAt = first } : open;
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e))
        {
            Log.FirstStartUnavailable(logger, e, Redact.Id(open.CallId), StorageFailures.Status(e));
            return open;
        }
    }

    private async Task<DateTimeOffset?> FirstStartAsync(string key, CancellationToken cancellationToken) =>
        long.TryParse((await store.GetAsync(key, cancellationToken))?.Values.GetValueOrDefault(FirstStartProperty),
            NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    // As the call path wrote it until the processor took it over: Unix seconds under "value".
    private const string FirstStartProperty = "value";

    private static string ToSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Merges the update into the call's merged record (saved If-Match, so two updates of one call never both win), sends
    /// the merged whole to the ERP, then reads the merged record again: if another update was merged meanwhile, its send
    /// may have reached the ERP before this one, so the newer whole is sent again. The last send is always the newest.
    /// With the state storage down the update is sent on its own, as it comes: possibly out of order rather than held back.
    /// </summary>
    private async Task<UpdateCallRecordRequest> UpdateInOrderAsync(string recordId, UpdateCallRecord update, int number, CancellationToken cancellationToken)
    {
        var key = MergedCallRecord.StoreKey(update.CallId);
        var callId = Redact.Id(update.CallId);
        UpdateCallRecordRequest? sent = null;
        try
        {
            for (var round = 1; round <= MaxRounds; round++)
            {
                var merged = await store.GetAsync(key, cancellationToken) ?? new CallState(key);
                MergedCallRecord.Merge(merged.Values, update, number);
                try
                {
                    await store.SaveAsync(merged, cancellationToken);
                }
                catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
                {
                    continue; // another update of this call was merged first: merge over it
                }

                for (var send = 1; send <= MaxRounds; send++)
                {
                    var request = MergedCallRecord.ToRequest(merged.Values);
                    await erp.UpdateCallRecordAsync(recordId, request, cancellationToken);
                    sent = request;
                    var now = await store.GetAsync(key, cancellationToken);
                    if (now is null || now.ETag == merged.ETag) return request;
                    Log.Overtaken(logger, callId, number);
                    merged = now;
                }

                break;
            }
        }
        catch (Exception e) when (StorageFailures.IsStorageFailure(e))
        {
            Log.MergeUnavailable(logger, e, callId, number, StorageFailures.Status(e));
            if (sent is not null) return sent; // the merged record reached the ERP; only the check after it failed
            var alone = update.ToUpdateRequest();
            await erp.UpdateCallRecordAsync(recordId, alone, cancellationToken);
            return alone;
        }

        throw new InvalidOperationException(
            $"Call {callId}: call record update {number} kept meeting other updates of the call ({MaxRounds} rounds); retried later.");
    }

    /// <summary>
    /// Which fields an update set, for the log: the outcome by value (a fixed word), the others by name only, since
    /// the contact, the order number and the card can point to a person.
    /// </summary>
    internal static string WhatWasSet(UpdateCallRecordRequest sent)
    {
        List<string> fields = [];
        if (sent.Outcome is { } outcome) fields.Add("outcome " + outcome);
        if (sent.EndedAt is not null) fields.Add("end time");
        if (sent.ContactId is not null) fields.Add("contact");
        if (sent.OrderNumber is not null) fields.Add("order number");
        if (sent.TransferredTo is not null) fields.Add("transfer target");
        if (sent.Card is not null) fields.Add("card");
        return fields.Count == 0 ? "nothing new" : string.Join(", ", fields);
    }

    private static partial class Log
    {
        // Debug: every call opens one, the invocation is in `requests` already and both ids are masked here; a
        // failure is logged by the dispatcher or the Functions host with the message id.
        [LoggerMessage(EventId = 8001, Level = LogLevel.Debug, Message = "Call {CallId}: ERP call record {RecordId} opened")]
        public static partial void Opened(ILogger logger, string callId, string recordId);

        [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Call {CallId}: ERP call record {RecordId} updated: {Fields}")]
        public static partial void Updated(ILogger logger, string callId, string recordId, string fields);

        [LoggerMessage(EventId = 8003, Level = LogLevel.Debug, Message = "Call {CallId}: another update of the call record was merged while update {Number} was sent; sending the newer record")]
        public static partial void Overtaken(ILogger logger, string callId, int number);

        [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Call {CallId}: state storage failed (status {Status}); call record update {Number} sent without the order check")]
        public static partial void MergeUnavailable(ILogger logger, Exception exception, string callId, int number, int status);

        [LoggerMessage(EventId = 8005, Level = LogLevel.Warning, Message = "Call {CallId}: state storage failed (status {Status}); call record opened with this message's start time, which the ERP refuses if an earlier open had another")]
        public static partial void FirstStartUnavailable(ILogger logger, Exception exception, string callId, int status);
    }
}
