using System.Diagnostics.CodeAnalysis;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Work.InProcess;

/// <summary>
/// Service Bus stood in by process memory, for local runs and tests: duplicate detection by MessageId, scheduled
/// messages, time to live, redelivery with backoff, MaxDeliveryCount, then the dead-letter queue
/// <c>{queue}/$DeadLetterQueue</c>. <see cref="InProcessWorkDispatcher"/> hands the messages to the processors.
/// Dead letters are also kept in <see cref="DeadLetters"/> and logged at Error, so none goes unnoticed.
/// </summary>
public sealed class InProcessWorkQueue : IWorkQueue
{
    private const int MaxErrorDescriptionLength = 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<string, QueueState> queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<DeadLetter> deadLetters = [];
    private readonly HashSet<string> reportedWithoutProcessor = new(StringComparer.OrdinalIgnoreCase);
    private readonly InProcessWorkQueueOptions options;
    private readonly WorkRetryOptions retry;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<InProcessWorkQueue> logger;
    private HashSet<string>? queuesWithProcessor;
    private TaskCompletionSource changed = NewSignal();
    private long nextSequence;
    private int beingProcessed;
    private DateTimeOffset nextExpiry = DateTimeOffset.MaxValue;

    public InProcessWorkQueue(
        IOptions<InProcessWorkQueueOptions> options, IOptions<WorkRetryOptions> retry, TimeProvider timeProvider, ILogger<InProcessWorkQueue> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        this.options = options.Value;
        this.retry = retry.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        StartedAt = timeProvider.GetUtcNow();
    }

    /// <summary>When this queue was created: it holds nothing sent before; what a process before this one held is gone.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Every message dead-lettered so far, oldest first (a dead-letter queue processor handling it does not remove it).</summary>
    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get
        {
            lock (gate) return [.. deadLetters];
        }
    }

    internal InProcessWorkQueueOptions Options => options;

    public Task SendAsync(WorkMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.QueueName, nameof(message));
        ArgumentException.ThrowIfNullOrEmpty(message.MessageId, nameof(message));
        if (QueueNames.IsDeadLetterQueue(message.QueueName))
        {
            throw new ArgumentException($"Messages cannot be sent to a dead-letter queue ('{message.QueueName}').", nameof(message));
        }
        if (message.TimeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"TimeToLive must be positive (got {ttl}).", nameof(message));
        }
        cancellationToken.ThrowIfCancellationRequested();

        // The caller keeps its dictionary; the queue keeps what was sent.
        var copy = message with { ApplicationProperties = new Dictionary<string, string>(message.ApplicationProperties, StringComparer.Ordinal) };
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var queue = GetOrAddQueue(message.QueueName);
            if (!queue.TryRecordMessageId(message.MessageId, now, options.DuplicateDetectionWindow, out var firstSentAt))
            {
                Log.DuplicateDropped(logger, Redact.Id(message.MessageId), message.QueueName, firstSentAt);
                return Task.CompletedTask;
            }

            var enqueuedTime = message.ScheduledEnqueueTime is { } scheduled && scheduled > now ? scheduled : now;
            var expiresAt = message.TimeToLive is { } timeToLive && timeToLive < DateTimeOffset.MaxValue - enqueuedTime
                ? enqueuedTime + timeToLive
                : DateTimeOffset.MaxValue;
            Enqueue(new QueuedMessage(message.QueueName, copy, nextSequence++, enqueuedTime, expiresAt));
            if (queuesWithProcessor is not null && !queuesWithProcessor.Contains(message.QueueName))
            {
                ReportNoProcessor(message.QueueName);
            }
            Pulse();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Completes when nothing is being processed and no message that is due has a processor waiting for it
    /// (messages scheduled later or waiting for a retry are not due). For tests and benchmarks.
    /// </summary>
    /// <exception cref="TimeoutException">Still busy after <paramref name="timeout"/> of wall-clock time.</exception>
    public async Task WaitForIdleAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, TimeProvider.System);
        Wake();
        while (true)
        {
            Task next;
            string? busy;
            lock (gate)
            {
                busy = DescribeBusy(timeProvider.GetUtcNow());
                next = changed.Task;
            }
            if (busy is null) return;
            try
            {
                await next.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"The in-process work queue was still busy after {timeout}: {busy}.");
            }
        }
    }

    /// <summary>Completes at the next change: a send, a settled delivery, a dead letter, a wake-up.</summary>
    internal Task WhenChanged
    {
        get
        {
            lock (gate) return changed.Task;
        }
    }

    /// <summary>Tells the queue which queues have a processor; messages of the others wait (reported once per queue).</summary>
    internal void AttachProcessors(IEnumerable<string> queueNames)
    {
        lock (gate)
        {
            queuesWithProcessor = new HashSet<string>(queueNames, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, queue) in queues)
            {
                if (queue.Count > 0 && !queuesWithProcessor.Contains(name)) ReportNoProcessor(name);
            }
            Pulse();
        }
    }

    internal void Wake()
    {
        lock (gate) Pulse();
    }

    /// <summary>Locks the next due message of <paramref name="queueName"/> for delivery (peek-lock); expired ones met on the way are dead-lettered.</summary>
    internal bool TryReceive(string queueName, [NotNullWhen(true)] out QueuedMessage? message)
    {
        lock (gate)
        {
            message = null;
            if (!queues.TryGetValue(queueName, out var queue)) return false;
            var now = timeProvider.GetUtcNow();
            while (queue.TryTakeDue(now, out var candidate))
            {
                if (candidate.ExpiresAt <= now)
                {
                    DeadLetterExpired(candidate, now);
                    continue;
                }
                candidate.DeliveryCount++;
                beingProcessed++;
                message = candidate;
                return true;
            }
            return false;
        }
    }

    internal void Complete(QueuedMessage message)
    {
        lock (gate)
        {
            beingProcessed--;
            Log.Processed(logger, Redact.Id(message.Message.MessageId), message.QueueName, message.DeliveryCount);
            Pulse();
        }
    }

    /// <summary>The processor failed: redeliver after the backoff, or dead-letter once the deliveries are used up.</summary>
    internal void Abandon(QueuedMessage message, Exception error)
    {
        lock (gate)
        {
            beingProcessed--;
            var now = timeProvider.GetUtcNow();
            if (message.DeliveryCount >= options.MaxDeliveryCount)
            {
                DeadLetterMessage(message, DeadLetterReasons.MaxDeliveryCountExceeded, Describe(error), now);
            }
            else
            {
                var delay = retry.RetryDelayAfter(message.DeliveryCount);
                Log.ProcessingFailed(logger, error, Redact.Id(message.Message.MessageId), message.QueueName,
                    message.DeliveryCount, options.MaxDeliveryCount, delay);
                message.DueAt = now + delay;
                Enqueue(message);
            }
            Pulse();
        }
    }

    /// <summary>Shutdown interrupted the delivery: back on the queue, the attempt not counted.</summary>
    internal void Release(QueuedMessage message)
    {
        lock (gate)
        {
            beingProcessed--;
            message.DeliveryCount--;
            Log.InterruptedByShutdown(logger, Redact.Id(message.Message.MessageId), message.QueueName);
            Enqueue(message);
            Pulse();
        }
    }

    /// <summary>Dead-letters every waiting message whose time to live has passed, with or without a processor.</summary>
    internal void DeadLetterExpiredMessages()
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            if (now < nextExpiry) return;
            nextExpiry = DateTimeOffset.MaxValue;
            foreach (var queue in queues.Values.ToList())
            {
                foreach (var expired in queue.RemoveExpired(now)) DeadLetterExpired(expired, now);
                if (queue.EarliestExpiry < nextExpiry) nextExpiry = queue.EarliestExpiry;
            }
        }
    }

    /// <summary>
    /// When the dispatcher must look again even if nothing is sent: a retry or scheduled message falls due, or one expires.
    /// A message already due on a queue that can take one more (<paramref name="canTake"/>) gives its due time, not after
    /// now, so the dispatcher looks again at once: it fell due after the dispatcher last looked (a timer may fire a little
    /// before the clock reads the due time), and no settled delivery or send may come to wake the dispatcher for it.
    /// </summary>
    internal DateTimeOffset? NextWakeTime(Func<string, bool>? canTake = null)
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var next = nextExpiry;
            foreach (var (name, queue) in queues)
            {
                if (queuesWithProcessor?.Contains(name) == false) continue;
                if (queue.NextDueAt is { } due && (due > now || canTake?.Invoke(name) == true) && due < next) next = due;
            }
            return next == DateTimeOffset.MaxValue ? null : next;
        }
    }

    private string? DescribeBusy(DateTimeOffset now)
    {
        if (beingProcessed > 0) return $"{beingProcessed} message(s) being processed";
        if (nextExpiry <= now) return "expired messages not yet dead-lettered";
        foreach (var (name, queue) in queues)
        {
            if (queuesWithProcessor?.Contains(name) == false) continue;
            if (queue.NextDueAt is { } due && due <= now)
            {
                return queuesWithProcessor is null
                    ? $"messages due on {name} but the dispatcher has not started"
                    : $"messages due on {name}";
            }
        }
        return null;
    }

    private void DeadLetterExpired(QueuedMessage message, DateTimeOffset now) =>
        DeadLetterMessage(message, DeadLetterReasons.TtlExpired,
            $"The message expired at {message.ExpiresAt:O} before it was processed.", now);

    private void DeadLetterMessage(QueuedMessage message, string reason, string description, DateTimeOffset now)
    {
        var maskedId = Redact.Id(message.Message.MessageId);
        Pulse();
        deadLetters.Add(new DeadLetter(message.QueueName, message.Message, reason, description, message.DeliveryCount, now));
        if (QueueNames.IsDeadLetterQueue(message.QueueName))
        {
            // Service Bus has no dead-letter queue for a dead-letter queue: the message stays where it is.
            Log.DeadLetterParked(logger, maskedId, message.QueueName, reason, message.DeliveryCount, description);
            return;
        }

        var deadLetterQueue = QueueNames.DeadLetterQueueOf(message.QueueName);
        Log.DeadLettered(logger, maskedId, message.QueueName, deadLetterQueue, reason, message.DeliveryCount, description);
        var properties = new Dictionary<string, string>(message.Message.ApplicationProperties, StringComparer.Ordinal)
        {
            [DeadLetterReasons.ReasonProperty] = reason,
            [DeadLetterReasons.ErrorDescriptionProperty] = description,
        };
        Enqueue(new QueuedMessage(deadLetterQueue, message.Message with { ApplicationProperties = properties }, nextSequence++, now, DateTimeOffset.MaxValue)
        {
            DeadLetterReason = reason,
        });
        if (queuesWithProcessor is not null && !queuesWithProcessor.Contains(deadLetterQueue)) ReportNoProcessor(deadLetterQueue);
    }

    private void Enqueue(QueuedMessage message)
    {
        GetOrAddQueue(message.QueueName).Add(message);
        if (message.ExpiresAt < nextExpiry) nextExpiry = message.ExpiresAt;
    }

    private QueueState GetOrAddQueue(string name)
    {
        if (!queues.TryGetValue(name, out var queue))
        {
            queue = new QueueState();
            queues[name] = queue;
        }
        return queue;
    }

    private void ReportNoProcessor(string queueName)
    {
        if (reportedWithoutProcessor.Add(queueName)) Log.NoProcessor(logger, queueName);
    }

    private void Pulse()
    {
        var previous = changed;
        changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Describe(Exception error)
    {
        var text = $"{error.GetType().Name}: {error.Message}";
        return text.Length <= MaxErrorDescriptionLength ? text : text[..MaxErrorDescriptionLength];
    }

    /// <summary>One queue: waiting messages in delivery order (due time, then send order) and the recent MessageIds.</summary>
    private sealed class QueueState
    {
        private readonly PriorityQueue<QueuedMessage, (DateTimeOffset DueAt, long Sequence)> waiting = new();
        private readonly Dictionary<string, DateTimeOffset> recentMessageIds = new(StringComparer.Ordinal);
        private readonly Queue<(string MessageId, DateTimeOffset SentAt)> recentInOrder = new();

        public int Count => waiting.Count;

        public DateTimeOffset? NextDueAt => waiting.TryPeek(out _, out var priority) ? priority.DueAt : null;

        public DateTimeOffset EarliestExpiry =>
            waiting.Count == 0 ? DateTimeOffset.MaxValue : waiting.UnorderedItems.Min(item => item.Element.ExpiresAt);

        public void Add(QueuedMessage message) => waiting.Enqueue(message, (message.DueAt, message.Sequence));

        public bool TryTakeDue(DateTimeOffset now, [NotNullWhen(true)] out QueuedMessage? message)
        {
            if (waiting.TryPeek(out message, out var priority) && priority.DueAt <= now)
            {
                waiting.Dequeue();
                return true;
            }
            message = null;
            return false;
        }

        public List<QueuedMessage> RemoveExpired(DateTimeOffset now)
        {
            var expired = new List<QueuedMessage>();
            var kept = new List<QueuedMessage>();
            foreach (var (message, _) in waiting.UnorderedItems) (message.ExpiresAt <= now ? expired : kept).Add(message);
            if (expired.Count == 0) return expired;
            waiting.Clear();
            foreach (var message in kept) Add(message);
            return expired;
        }

        /// <summary>False when <paramref name="messageId"/> was sent within the window (then <paramref name="firstSentAt"/> says when).</summary>
        public bool TryRecordMessageId(string messageId, DateTimeOffset now, TimeSpan window, out DateTimeOffset firstSentAt)
        {
            while (recentInOrder.TryPeek(out var oldest) && now - oldest.SentAt >= window)
            {
                recentInOrder.Dequeue();
                if (recentMessageIds.TryGetValue(oldest.MessageId, out var at) && at == oldest.SentAt) recentMessageIds.Remove(oldest.MessageId);
            }
            if (recentMessageIds.TryGetValue(messageId, out firstSentAt)) return false;
            recentMessageIds[messageId] = now;
            recentInOrder.Enqueue((messageId, now));
            firstSentAt = now;
            return true;
        }
    }
}
