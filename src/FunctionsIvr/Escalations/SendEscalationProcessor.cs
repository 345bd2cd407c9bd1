using FunctionsIvr.Hosting;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Escalations;

/// <summary>
/// The <c>escalations</c> queue's processor (the SendEscalation function). A malformed body throws
/// <see cref="MalformedEscalationException"/> and a transient channel failure <see cref="EscalationDeliveryException"/>;
/// either way the message is redelivered and finally dead-lettered, never acknowledged unsent.
/// </summary>
public sealed class SendEscalationProcessor(EscalationDispatcher dispatcher, ILogger<SendEscalationProcessor> logger) : IWorkProcessor
{
    public async Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var message = work.Message;
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = Redact.Id(message.MessageId),
            ["CallId"] = Redact.Id(message.CorrelationId),
        });

        Escalation escalation;
        try
        {
            escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        }
        catch (MalformedEscalationException e)
        {
            Log.Malformed(logger, Redact.Id(message.MessageId), work.DeliveryCount, e.Reason);
            throw;
        }

        await dispatcher.DispatchAsync(escalation, work.DeliveryCount, cancellationToken);
    }
}
