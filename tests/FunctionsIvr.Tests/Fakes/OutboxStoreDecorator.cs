using FunctionsIvr.State;

namespace FunctionsIvr.Tests.Fakes;

/// <summary>An outbox that passes every call on to <see cref="Inner"/>; a test store overrides only what it changes.</summary>
internal abstract class OutboxStoreDecorator(IOutboxStore? inner = null) : IOutboxStore
{
    /// <summary>Where the calls go; set later by a store that is built before the one it wraps.</summary>
    protected IOutboxStore Inner { get; set; } = inner!;

    public virtual Task AddAsync(OutboxEntry entry, CancellationToken cancellationToken = default) => Inner.AddAsync(entry, cancellationToken);

    public virtual Task<OutboxEntry?> GetAsync(string transactionId, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(transactionId, cancellationToken);

    public virtual Task UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default) => Inner.UpdateAsync(entry, cancellationToken);

    public virtual Task<IReadOnlyList<OutboxEntry>> ListAsync(IReadOnlyCollection<OutboxStatus> statuses, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(statuses, cancellationToken);

    public virtual Task<IReadOnlyList<OutboxEntry>> ListForCallAsync(string callId, CancellationToken cancellationToken = default) =>
        Inner.ListForCallAsync(callId, cancellationToken);
}
