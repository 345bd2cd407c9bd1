using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Functions;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// Plays the Functions host's Service Bus triggers over the <see cref="FakeServiceBusServer"/>: every message the app
/// sent is posted to its function (<c>POST /CommitOrder</c>, <c>/SendEscalation</c>, <c>/RecordCall</c>) with the
/// invocation payload the host sends, up to <see cref="MaxConcurrentCalls"/> at a time (host.json); a non-2xx answer
/// redelivers it at once, as an abandoned message is redelivered (there is no retry policy for Service Bus triggers),
/// so any pause between deliveries is the app's own: it holds a failed delivery's answer for its retry delay. After
/// <see cref="MaxDeliveryCount"/> deliveries a message is dead-lettered and forwarded to <c>dead-letters</c>
/// (ForwardDeadLetteredMessagesTo in infra) with DeadLetterReason and DeadLetterErrorDescription, for HandleDeadLetters.
/// A message HandleDeadLetters cannot take stays parked in that queue's own dead-letter queue. Every delivery is kept in
/// <see cref="Deliveries"/> with its answer and how long the app took to give it.
/// </summary>
internal sealed class ServiceBusTriggerHost : IAsyncDisposable
{
    /// <summary>host.json's <c>maxConcurrentCalls</c>: deliveries posted at the same time.</summary>
    public const int MaxConcurrentCalls = 16;

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
    private readonly List<DeliveryRecord> _deliveries = [];
    private readonly List<Task> _running = [];
    private readonly SemaphoreSlim _slots = new(MaxConcurrentCalls);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _busy;

    public ServiceBusTriggerHost(FakeServiceBusServer bus, WebApplicationFactory<Program> app, int maxDeliveryCount = 10)
    {
        _bus = bus;
        _app = app;
        MaxDeliveryCount = maxDeliveryCount;
        RetrySchedule = app.Services.GetRequiredService<IOptions<WorkRetryOptions>>().Value;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The queues' maxDeliveryCount (10 in infra/app/servicebus.bicep).</summary>
    public int MaxDeliveryCount { get; }

    /// <summary>The app's pause after a failed delivery (the drill's <c>WorkQueue:RetryBaseDelay</c>/<c>RetryMaxDelay</c>).</summary>
    public WorkRetryOptions RetrySchedule { get; }

    /// <summary>Every delivery posted so far, in the order their answers came.</summary>
    public IReadOnlyList<DeliveryRecord> Deliveries
    {
        get
        {
            lock (_pending) return [.. _deliveries];
        }
    }

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

    /// <summary>Completes once <paramref name="messages"/> messages of <paramref name="queue"/> have each failed at least <paramref name="deliveries"/> deliveries.</summary>
    public async Task WaitForFailedDeliveriesAsync(string queue, int messages, int deliveries, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (Deliveries.Where(d => d.Queue == queue && d.Failed).GroupBy(d => d.MessageId).Count(m => m.Count() >= deliveries) < messages)
        {
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

        Task[] running;
        lock (_pending) running = [.. _running];
        try
        {
            await Task.WhenAll(running);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
        _slots.Dispose();
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
                await _slots.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Decrement(ref _busy);
                throw;
            }
            var running = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(next);
                }
                finally
                {
                    _slots.Release();
                    Interlocked.Decrement(ref _busy);
                }
            });
            lock (_pending)
            {
                _running.RemoveAll(t => t.IsCompleted);
                _running.Add(running);
            }
        }
    }

    private async Task DeliverAsync(Delivery delivery)
    {
        delivery.DeliveryCount++;
        var posted = System.Diagnostics.Stopwatch.StartNew();
        var (status, logs) = await PostAsync(delivery);
        lock (_pending) _deliveries.Add(new DeliveryRecord(delivery.Queue, delivery.MessageId, delivery.DeliveryCount, status, posted.Elapsed));
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

    /// <summary>One delivery: its answer's status and how long after the post the answer came.</summary>
    public sealed record DeliveryRecord(string Queue, string MessageId, int DeliveryCount, int Status, TimeSpan Took)
    {
        public bool Failed => Status is < 200 or >= 300;
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
