using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Functions;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Plays the Functions host's Service Bus triggers over the <see cref="FakeServiceBusServer"/>: every message the app
/// sent is posted to its function (<c>POST /CommitOrder</c>, <c>/SendEscalation</c>, <c>/RecordCall</c>) with the
/// invocation payload the host sends; a non-2xx answer redelivers it at once (as an abandoned lock does), and after
/// <see cref="MaxDeliveryCount"/> deliveries it is dead-lettered and forwarded to <c>dead-letters</c>
/// (ForwardDeadLetteredMessagesTo in infra) with DeadLetterReason and DeadLetterErrorDescription, for HandleDeadLetters.
/// A message HandleDeadLetters cannot take stays parked in that queue's own dead-letter queue.
/// </summary>
internal sealed class ServiceBusTriggerHost : IAsyncDisposable
{
    private static readonly Dictionary<string, string> Functions = new(StringComparer.OrdinalIgnoreCase)
    {
        [QueueNames.OrderCommits] = FunctionNames.CommitOrder,
        [QueueNames.Escalations] = FunctionNames.SendEscalation,
        [QueueNames.CallRecords] = FunctionNames.RecordCall,
        [QueueNames.DeadLetters] = FunctionNames.HandleDeadLetters,
    };

    private readonly FakeServiceBusServer _bus;
    private readonly WebApplicationFactory<Program> _app;
    private readonly Dictionary<string, int> _taken = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<Delivery> _pending = new();
    private readonly List<Delivery> _deadLettered = [];
    private readonly List<Delivery> _parked = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _busy;

    public ServiceBusTriggerHost(FakeServiceBusServer bus, WebApplicationFactory<Program> app, int maxDeliveryCount = 10)
    {
        _bus = bus;
        _app = app;
        MaxDeliveryCount = maxDeliveryCount;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The queues' maxDeliveryCount (10 in infra/app/servicebus.bicep).</summary>
    public int MaxDeliveryCount { get; }

    /// <summary>Messages moved to a dead-letter queue, with the queue they came from.</summary>
    public IReadOnlyList<(string Queue, string MessageId, string Subject)> DeadLettered
    {
        get
        {
            lock (_pending) return _deadLettered.Select(d => (d.Queue, d.MessageId, d.Subject)).ToList();
        }
    }

    /// <summary>Dead letters HandleDeadLetters could not take: nobody was told about them.</summary>
    public int Parked
    {
        get
        {
            lock (_pending) return _parked.Count;
        }
    }

    /// <summary>Completes once every message sent so far has been delivered for good (or dead-lettered and handled).</summary>
    public async Task WaitForIdleAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            lock (_pending)
            {
                if (_pending.Count == 0 && Volatile.Read(ref _busy) == 0 && !HasUntaken()) return;
            }
            await Task.Delay(20, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private bool HasUntaken() =>
        Functions.Keys.Any(queue => _bus.Messages(queue).Count > _taken.GetValueOrDefault(queue));

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Delivery? next;
            lock (_pending)
            {
                foreach (var queue in Functions.Keys)
                {
                    var messages = _bus.Messages(queue);
                    for (var i = _taken.GetValueOrDefault(queue); i < messages.Count; i++) _pending.Enqueue(Delivery.Of(messages[i], queue));
                    _taken[queue] = messages.Count;
                }
                next = _pending.TryDequeue(out var d) ? d : null;
                if (next is not null) Interlocked.Increment(ref _busy);
            }

            if (next is null)
            {
                await Task.Delay(10, _stop.Token);
                continue;
            }

            try
            {
                await DeliverAsync(next);
            }
            finally
            {
                Interlocked.Decrement(ref _busy);
            }
        }
    }

    private async Task DeliverAsync(Delivery delivery)
    {
        delivery.DeliveryCount++;
        var (status, logs) = await PostAsync(delivery);
        if (status is >= 200 and < 300) return;

        lock (_pending)
        {
            if (delivery.DeliveryCount < MaxDeliveryCount)
            {
                _pending.Enqueue(delivery);
            }
            else if (delivery.Queue == QueueNames.DeadLetters)
            {
                _parked.Add(delivery);
            }
            else
            {
                _deadLettered.Add(delivery);
                var properties = new Dictionary<string, string>(delivery.ApplicationProperties, StringComparer.Ordinal)
                {
                    [DeadLetterReasons.ReasonProperty] = DeadLetterReasons.MaxDeliveryCountExceeded,
                    [DeadLetterReasons.ErrorDescriptionProperty] = logs.Length <= 1024 ? logs : logs[..1024],
                };
                _pending.Enqueue(delivery with { Queue = QueueNames.DeadLetters, DeliveryCount = 0, ApplicationProperties = properties });
            }
        }
    }

    /// <summary>What the host posts for a Service Bus trigger: the body in Data.msg, the message's properties JSON-encoded in Metadata.</summary>
    private async Task<(int Status, string Logs)> PostAsync(Delivery delivery)
    {
        var metadata = new JsonObject
        {
            ["DeliveryCount"] = delivery.DeliveryCount.ToString(CultureInfo.InvariantCulture),
            ["ContentType"] = JsonSerializer.Serialize(delivery.ContentType),
            ["MessageId"] = JsonSerializer.Serialize(delivery.MessageId),
            ["Label"] = JsonSerializer.Serialize(delivery.Subject),
            ["Subject"] = JsonSerializer.Serialize(delivery.Subject),
            ["ApplicationProperties"] = new JsonObject(delivery.ApplicationProperties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
        if (delivery.CorrelationId is not null) metadata["CorrelationId"] = JsonSerializer.Serialize(delivery.CorrelationId);

        var payload = new JsonObject { ["Data"] = new JsonObject { ["msg"] = delivery.Body }, ["Metadata"] = metadata };
        using var client = _app.CreateClient();
        client.Timeout = TimeSpan.FromMinutes(2);
        using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/" + Functions[delivery.Queue], UriKind.Relative), content, _stop.Token);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(_stop.Token));
    }

    private sealed record Delivery(
        string Queue, string MessageId, string Subject, string? CorrelationId, string ContentType, string Body,
        IReadOnlyDictionary<string, string> ApplicationProperties)
    {
        public int DeliveryCount { get; set; }

        public static Delivery Of(FakeServiceBusMessage message, string queue)
        {
            string? Broker(string name) => message.BrokerProperties.TryGetValue(name, out var value) ? value.GetString() : null;
            return new Delivery(queue, Broker("MessageId") ?? "", Broker("Label") ?? "", Broker("CorrelationId"), message.ContentType,
                message.BodyText, message.ApplicationProperties);
        }
    }
}
