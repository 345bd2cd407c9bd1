namespace FunctionsIvr.Agents;

/// <summary>The cards of each login, newest kept. A seam: in memory locally, Table Storage in Azure.</summary>
public interface IAgentCardStore
{
    /// <summary>How many cards a login keeps; older ones are dropped.</summary>
    public const int KeptPerLogin = 10;

    /// <summary>Adds the card with a new, growing id; a card with the same <see cref="AgentCard.Key"/> is returned as stored.</summary>
    Task<AgentCard> AddAsync(AgentCard card, CancellationToken cancellationToken = default);

    /// <summary>The login's cards with an id above <paramref name="afterId"/>, newest first.</summary>
    Task<IReadOnlyList<AgentCard>> ListAsync(string login, long afterId = 0, CancellationToken cancellationToken = default);
}
