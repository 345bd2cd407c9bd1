namespace FunctionsIvr.Agents;

/// <summary>Cards in this process only: enough for a local run and for one instance.</summary>
public sealed class InMemoryAgentCardStore(TimeProvider time) : IAgentCardStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<AgentCard>> _cards = new(StringComparer.Ordinal);
    private long _lastId;

    public Task<AgentCard> AddAsync(AgentCard card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        lock (_gate)
        {
            if (!_cards.TryGetValue(card.Login, out var cards)) _cards[card.Login] = cards = [];
            if (cards.Find(c => c.Key == card.Key) is { } existing) return Task.FromResult(existing);

            _lastId = Math.Max(_lastId + 1, time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
            var stored = card with { Id = _lastId };
            cards.Add(stored);
            if (cards.Count > IAgentCardStore.KeptPerLogin) cards.RemoveRange(0, cards.Count - IAgentCardStore.KeptPerLogin);
            return Task.FromResult(stored);
        }
    }

    /// <summary>Drops cards created before <paramref name="cutoff"/> (the retention purge); the number dropped.</summary>
    public int Purge(DateTimeOffset cutoff)
    {
        lock (_gate)
        {
            var dropped = 0;
            foreach (var (login, cards) in _cards.ToList())
            {
                dropped += cards.RemoveAll(c => c.CreatedAt < cutoff);
                if (cards.Count == 0) _cards.Remove(login);
            }
            return dropped;
        }
    }

    public Task<IReadOnlyList<AgentCard>> ListAsync(string login, long afterId = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<AgentCard> found = _cards.TryGetValue(login, out var cards)
                ? cards.Where(c => c.Id > afterId).OrderByDescending(c => c.Id).ToList()
                : [];
            return Task.FromResult(found);
        }
    }
}
