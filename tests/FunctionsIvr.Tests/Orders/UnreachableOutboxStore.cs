using Azure;
using FunctionsIvr.State;

namespace FunctionsIvr.Tests.Orders;

/// <summary>
/// An outbox whose storage goes away on demand, failing as the Table Storage client does once its retries are spent on
/// a refused connection: an <see cref="AggregateException"/> of <see cref="RequestFailedException"/> with status 0
/// (or, with <see cref="ReadsTimeOut"/>, of the network timeouts of a store that never answers).
/// With <see cref="WritesHang"/> writes are taken and never answered (a store that accepts the connection and goes
/// silent) until their token is cancelled.
/// </summary>
internal sealed class UnreachableOutboxStore(IOutboxStore inner) : IOutboxStore
{
    private readonly TaskCompletionSource _writeHanging = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool ReadsFail { get; set; }

    /// <summary>Reads fail as they do when storage takes the connection and never answers: every try timed out.</summary>
    public bool ReadsTimeOut { get; set; }

    public bool WritesFail { get; set; }

    public bool WritesHang { get; set; }

    /// <summary>Completes when the first write starts hanging.</summary>
    public Task WriteHanging => _writeHanging.Task;

    public static AggregateException Refused() =>
        new("Retry failed after 4 tries.", Enumerable.Range(0, 4).Select(_ => new RequestFailedException(0, "Connection refused (127.0.0.1:10002)")));

    public Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default) =>
        WritesFail ? Task.FromException(Refused()) : inner.AddAsync(entry, cancellationToken);

    public static AggregateException TimedOut() =>
        new("Retry failed after 4 tries.", Enumerable.Range(0, 4).Select(_ => new TaskCanceledException(
            "The operation was cancelled because it exceeded the configured timeout of 0:00:30.")));

    public Task<OutboxEntry?> GetAsync(string transactionId, CancellationToken cancellationToken = default) =>
        ReadsFail ? Task.FromException<OutboxEntry?>(Refused())
        : ReadsTimeOut ? Task.FromException<OutboxEntry?>(TimedOut())
        : inner.GetAsync(transactionId, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<OutboxStatus> statuses, CancellationToken cancellationToken = default) =>
        ReadsFail ? Task.FromException<IReadOnlyList<OutboxEntry>>(Refused()) : inner.ListAsync(statuses, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListForCallAsync(string callId, CancellationToken cancellationToken = default) =>
        ReadsFail ? Task.FromException<IReadOnlyList<OutboxEntry>>(Refused()) : inner.ListForCallAsync(callId, cancellationToken);

    public Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default) =>
        WritesFail ? Task.FromException(Refused()) : WritesHang ? HangAsync(cancellationToken) : inner.UpdateAsync(entry, cancellationToken);

    private Task HangAsync(CancellationToken cancellationToken)
    {
        _writeHanging.TrySetResult();
        return Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
