namespace FunctionsIvr.Agents;

/// <summary>Screen pops and the agent page (section <c>Agents</c>).</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agents";

    /// <summary>
    /// Key the per-agent page tokens are derived from (token = base64url(HMAC-SHA256(key, "agent:" + login + "\n" + exp))),
    /// so no token is stored per agent. Without it (and without <see cref="Tokens"/>) nobody can open an agent page.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// How long an agent's link opens (and its cookie lasts) at most; a link made for longer is refused. 30 days, as
    /// long as the cookie lasted before: an agent keeps the page open all day, so a new link once a month.
    /// </summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Explicit tokens per login (<c>Agents:Tokens:&lt;login&gt;</c>), accepted besides the derived one.</summary>
    public Dictionary<string, string> Tokens { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long the ERP reads of a screen pop may take before the card goes out without them.</summary>
    public int ErpBudgetMs { get; set; } = 400;

    /// <summary>How long writing the card may take before the transfer goes ahead without it (state storage down or slow).</summary>
    public int CardWriteBudgetMs { get; set; } = 500;

    /// <summary>How many cards the page shows.</summary>
    public int CardsShown { get; set; } = 5;

    /// <summary>How often the page asks for new cards.</summary>
    public int PollMs { get; set; } = 1000;
}
