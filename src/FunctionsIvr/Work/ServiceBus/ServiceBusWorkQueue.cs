using System.Collections.Concurrent;
using Azure;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// <see cref="IWorkQueue"/> on Service Bus: each <see cref="WorkMessage"/> goes to the queue it names, with its
/// MessageId (duplicate detection makes repeats harmless), Subject, CorrelationId, schedule, TTL and
/// application properties. A failed send throws <see cref="RequestFailedException"/>; the caller keeps the
/// work in its outbox and the sweep sends it again.
/// </summary>
public sealed class ServiceBusWorkQueue(ServiceBusRestClient client, ILogger<ServiceBusWorkQueue> logger) : IWorkQueue
{
    private readonly ConcurrentDictionary<string, ServiceBusRestSender> _senders = new(StringComparer.Ordinal);

    public async Task SendAsync(WorkMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var sender = _senders.GetOrAdd(message.QueueName, client.CreateSender);
        var busMessage = new ServiceBusMessage(message.Body)
        {
            MessageId = message.MessageId,
            Subject = message.Subject,
            ContentType = message.ContentType,
            CorrelationId = message.CorrelationId,
            ScheduledEnqueueTime = message.ScheduledEnqueueTime,
            TimeToLive = message.TimeToLive,
        };
        foreach (var (name, value) in message.ApplicationProperties)
        {
            busMessage.ApplicationProperties[name] = value;
        }

        try
        {
            await sender.SendMessageAsync(busMessage, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            Log.SendFailed(logger, message.Subject, Redact.Id(message.MessageId), message.QueueName, e.Status, e.ErrorCode, e);
            throw;
        }

        Log.Sent(logger, message.Subject, Redact.Id(message.MessageId), message.QueueName);
    }
}
