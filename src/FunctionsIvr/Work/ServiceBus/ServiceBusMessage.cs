namespace FunctionsIvr.Work.ServiceBus;

/// <summary>A message to send, with Azure.Messaging.ServiceBus' property names (Subject travels as the REST <c>Label</c>).</summary>
public sealed class ServiceBusMessage
{
    public ServiceBusMessage()
        : this(BinaryData.Empty)
    {
    }

    public ServiceBusMessage(string body)
        : this(BinaryData.FromString(body))
    {
    }

    public ServiceBusMessage(BinaryData body) => Body = body;

    public BinaryData Body { get; set; }

    /// <summary>Drives duplicate detection; set from the business key. Up to 128 characters. Made up (a GUID) if left empty.</summary>
    public string? MessageId { get; set; }

    public string? ContentType { get; set; }
    public string? CorrelationId { get; set; }
    public string? Subject { get; set; }
    public string? SessionId { get; set; }
    public string? PartitionKey { get; set; }
    public string? To { get; set; }
    public string? ReplyTo { get; set; }
    public TimeSpan? TimeToLive { get; set; }
    public DateTimeOffset? ScheduledEnqueueTime { get; set; }

    /// <summary>Each becomes its own HTTP header: names are HTTP tokens, values printable ASCII (string, bool, number, Guid).</summary>
    public IDictionary<string, object> ApplicationProperties { get; } = new Dictionary<string, object>(StringComparer.Ordinal);
}
