namespace FunctionsIvr.State.InMemory;

/// <summary>
/// Parked work in process memory, keyed like the Table Storage store (queue name, MessageId; queue names compare
/// ignoring case, as Service Bus does). Stores copies. Gone with the process, as everything else is in a local run.
/// </summary>
public sealed class InMemoryUnsentWorkStore : IUnsentWorkStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Queue, string MessageId), UnsentWork> entries = new(new KeyComparer());

    public Task ParkAsync(UnsentWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentException.ThrowIfNullOrEmpty(work.Message.QueueName);
        ArgumentException.ThrowIfNullOrEmpty(work.Message.MessageId);
        cancellationToken.ThrowIfCancellationRequested();
        var stored = Copy(work);
        stored.ETag = TableStorageErrors.NewETag();
        lock (gate)
        {
            entries[(work.Message.QueueName, work.Message.MessageId)] = stored;
        }
        work.ETag = stored.ETag;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<UnsentWork>> ListAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            IReadOnlyList<UnsentWork> result = entries.Values
                .OrderBy(e => e.ParkedAt)
                .ThenBy(e => e.Message.MessageId, StringComparer.Ordinal)
                .Select(Copy)
                .ToList();
            return Task.FromResult(result);
        }
    }

    public Task RemoveAsync(string queueName, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            entries.Remove((queueName, messageId));
        }
        return Task.CompletedTask;
    }

    private static UnsentWork Copy(UnsentWork w) => new(w.Message with
    {
        ApplicationProperties = new Dictionary<string, string>(w.Message.ApplicationProperties),
    })
    {
        CallId = w.CallId,
        ParkedAt = w.ParkedAt,
        LastError = w.LastError,
        ETag = w.ETag,
    };

    private sealed class KeyComparer : IEqualityComparer<(string Queue, string MessageId)>
    {
        public bool Equals((string Queue, string MessageId) x, (string Queue, string MessageId) y) =>
            StringComparer.OrdinalIgnoreCase.Equals(x.Queue, y.Queue) && StringComparer.Ordinal.Equals(x.MessageId, y.MessageId);

        public int GetHashCode((string Queue, string MessageId) key) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(key.Queue), StringComparer.Ordinal.GetHashCode(key.MessageId));
    }
}
