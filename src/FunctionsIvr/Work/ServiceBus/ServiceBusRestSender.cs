using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// Sends to one queue or topic over the Service Bus REST API (<c>POST https://{ns}/{entity}/messages</c>),
/// shaped like Azure.Messaging.ServiceBus' <c>ServiceBusSender</c>. Broker properties travel as the
/// <c>BrokerProperties</c> JSON header, application properties as headers of their own. Failures surface as
/// <see cref="RequestFailedException"/> with the service's status (401, 403, 404/410, 413, …) once retries of the
/// transient ones (408, 429, 5xx) are used up; a message too large has the error code
/// <see cref="ServiceBusRequestFailedDetailsParser.MessageSizeExceeded"/> (413 from the sender, 403 from the service).
/// </summary>
public sealed class ServiceBusRestSender
{
    private const int MaxIdLength = 128;

    /// <summary>Headers the request itself uses; an application property of that name would clash.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "BrokerProperties", "Content-Type", "Content-Length", "Host", "Accept", "Connection", "Date",
        "Expect", "Transfer-Encoding", "User-Agent", "x-ms-client-request-id", "x-ms-retrypolicy", "traceparent", "tracestate",
    };

    private static readonly RequestFailedDetailsParser ErrorParser = new ServiceBusRequestFailedDetailsParser();

    private readonly HttpPipeline _pipeline;
    private readonly Uri _namespaceUri;
    private readonly int _maxMessageSize;

    internal ServiceBusRestSender(HttpPipeline pipeline, Uri namespaceUri, string fullyQualifiedNamespace, string entityPath, int maxMessageSize)
    {
        _pipeline = pipeline;
        _namespaceUri = namespaceUri;
        _maxMessageSize = maxMessageSize;
        FullyQualifiedNamespace = fullyQualifiedNamespace;
        EntityPath = entityPath;
    }

    public string FullyQualifiedNamespace { get; }

    public string EntityPath { get; }

    /// <summary>
    /// Sends the message. A MessageId is made up first if missing, so retried attempts carry the same one and
    /// duplicate detection drops all but one. A message over the size limit fails before any request with
    /// <see cref="RequestFailedException"/> 413 <c>MessageSizeExceeded</c>.
    /// </summary>
    public async Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.MessageId ??= Guid.NewGuid().ToString("N");
        Validate(message);

        var brokerProperties = BrokerPropertiesJson(message);
        var applicationHeaders = message.ApplicationProperties.Select(p => (p.Key, Value: HeaderValue(p.Key, p.Value))).ToList();
        var body = message.Body.ToMemory();
        var size = body.Length + Encoding.UTF8.GetByteCount(brokerProperties)
            + applicationHeaders.Sum(h => Encoding.UTF8.GetByteCount(h.Key) + Encoding.UTF8.GetByteCount(h.Value));
        if (size > _maxMessageSize)
        {
            throw new RequestFailedException(413,
                $"The message is {size} bytes with its properties; the limit is {_maxMessageSize}.",
                ServiceBusRequestFailedDetailsParser.MessageSizeExceeded, null);
        }

        using var httpMessage = _pipeline.CreateMessage();
        var request = httpMessage.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_namespaceUri);
        request.Uri.AppendPath(EscapedEntityPath(EntityPath) + "/messages", escape: false);
        request.Headers.SetValue("Content-Type", message.ContentType ?? "application/octet-stream");
        request.Headers.SetValue("BrokerProperties", brokerProperties);
        foreach (var (name, value) in applicationHeaders)
        {
            request.Headers.SetValue(name, value);
        }

        request.Content = RequestContent.Create(body);
        await _pipeline.SendAsync(httpMessage, cancellationToken).ConfigureAwait(false);
        if (httpMessage.Response.Status != 201)
        {
            throw new RequestFailedException(httpMessage.Response, null, ErrorParser);
        }
    }

    private static void Validate(ServiceBusMessage message)
    {
        if (message.MessageId!.Length is 0 or > MaxIdLength)
        {
            throw new ArgumentException($"MessageId must be 1 to {MaxIdLength} characters.", nameof(message));
        }

        if (message.SessionId?.Length > MaxIdLength)
        {
            throw new ArgumentException($"SessionId must be at most {MaxIdLength} characters.", nameof(message));
        }

        if (message.SessionId is not null && message.PartitionKey is not null
            && !string.Equals(message.SessionId, message.PartitionKey, StringComparison.Ordinal))
        {
            throw new ArgumentException("SessionId and PartitionKey must be equal when both are set.", nameof(message));
        }

        if (message.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException("TimeToLive must be positive.", nameof(message));
        }
    }

    internal static string BrokerPropertiesJson(ServiceBusMessage message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("MessageId", message.MessageId);
            WriteIfSet(writer, "CorrelationId", message.CorrelationId);
            WriteIfSet(writer, "Label", message.Subject);
            WriteIfSet(writer, "SessionId", message.SessionId);
            WriteIfSet(writer, "PartitionKey", message.PartitionKey);
            WriteIfSet(writer, "To", message.To);
            WriteIfSet(writer, "ReplyTo", message.ReplyTo);
            if (message.TimeToLive is { } ttl) writer.WriteNumber("TimeToLive", ttl.TotalSeconds);
            if (message.ScheduledEnqueueTime is { } at)
            {
                writer.WriteString("ScheduledEnqueueTimeUtc", at.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture));
            }

            writer.WriteEndObject();
        }

        // Header values must be ASCII: JSON escapes anything else as \uXXXX, which the broker decodes.
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    private static string HeaderValue(string name, object value)
    {
        if (name.Length == 0 || !name.All(IsTokenChar) || ReservedHeaders.Contains(name))
        {
            throw new ArgumentException($"Application property '{name}' cannot be an HTTP header name.", nameof(name));
        }

        var text = value switch
        {
            string s => s,
            bool b => b ? "true" : "false",
            Guid g => g.ToString("D"),
            int or long or short or byte or double or float or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            _ => throw new NotSupportedException($"Application property '{name}' has type {value.GetType().Name}; use a string, number, bool or Guid."),
        };

        if (!text.All(c => c is '\t' or >= ' ' and <= '~'))
        {
            throw new ArgumentException($"Application property '{name}' must be printable ASCII to travel as an HTTP header.", nameof(value));
        }

        return text;
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    private static string EscapedEntityPath(string entityPath) =>
        "/" + string.Join('/', entityPath.Trim('/').Split('/').Select(Uri.EscapeDataString));
}
