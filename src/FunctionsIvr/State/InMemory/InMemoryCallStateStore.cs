using System.Diagnostics.CodeAnalysis;
using Azure;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.State.InMemory;

/// <summary>
/// Call state in process memory with Table Storage semantics: insert fails with 409 when the call exists,
/// replace fails with 412 on a stale ETag and 404 when the row is gone. Stores copies, so a caller changing its
/// object after a save or a read changes nothing here. A state expires <see cref="InMemoryStateOptions.CallStateTimeToLive"/>
/// after its last save.
/// </summary>
public sealed class InMemoryCallStateStore : ICallStateStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, StoredState> states = new(StringComparer.Ordinal);
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan timeToLive;
    private DateTimeOffset nextSweep;

    public InMemoryCallStateStore(TimeProvider timeProvider, IOptions<InMemoryStateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        this.timeProvider = timeProvider;
        timeToLive = options.Value.CallStateTimeToLive;
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new OptionsValidationException(InMemoryStateOptions.SectionName, typeof(InMemoryStateOptions),
                [$"{InMemoryStateOptions.SectionName}:{nameof(InMemoryStateOptions.CallStateTimeToLive)} must be positive (got {timeToLive})."]);
        }
        nextSweep = timeProvider.GetUtcNow() + timeToLive;
    }

    public Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            return Task.FromResult(TryGetLive(callId, now, out var stored) ? stored.ToCallState(callId) : null);
        }
    }

    public Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrEmpty(state.CallId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            SweepExpired(now);
            TryGetLive(state.CallId, now, out var current);
            if (state.ETag == default)
            {
                if (current is not null) throw TableStorageErrors.EntityAlreadyExists($"call state {state.CallId}");
            }
            else
            {
                if (current is null) throw TableStorageErrors.ResourceNotFound($"call state {state.CallId}");
                if (state.ETag != ETag.All && state.ETag != current.ETag)
                {
                    throw TableStorageErrors.UpdateConditionNotSatisfied($"call state {state.CallId}");
                }
            }

            var etag = TableStorageErrors.NewETag();
            states[state.CallId] = new StoredState(new Dictionary<string, string>(state.Values, StringComparer.Ordinal), etag, now);
            state.ETag = etag;
            state.UpdatedAt = now;
            return Task.FromResult(etag);
        }
    }

    /// <summary>The retention purge: removes states last saved before their cutoff; the number removed.</summary>
    internal int Purge(RetentionCutoffs cutoffs)
    {
        lock (gate)
        {
            var due = states.Where(s => s.Value.UpdatedAt < cutoffs.ForCallStateKey(s.Key)).Select(s => s.Key).ToList();
            foreach (var callId in due) states.Remove(callId);
            return due.Count;
        }
    }

    private bool TryGetLive(string callId, DateTimeOffset now, [NotNullWhen(true)] out StoredState? stored)
    {
        if (states.TryGetValue(callId, out stored) && !IsExpired(stored, now)) return true;
        stored = null;
        return false;
    }

    private bool IsExpired(StoredState stored, DateTimeOffset now) => now - stored.UpdatedAt >= timeToLive;

    // A full scan at most once per TTL keeps saves O(1) amortised while bounding memory.
    private void SweepExpired(DateTimeOffset now)
    {
        if (now < nextSweep) return;
        foreach (var (callId, stored) in states.ToList())
        {
            if (IsExpired(stored, now)) states.Remove(callId);
        }
        nextSweep = now + timeToLive;
    }

    private sealed record StoredState(Dictionary<string, string> Values, ETag ETag, DateTimeOffset UpdatedAt)
    {
        public CallState ToCallState(string callId) => new(callId)
        {
            Values = new Dictionary<string, string>(Values, StringComparer.Ordinal),
            ETag = ETag,
            UpdatedAt = UpdatedAt,
        };
    }
}
