using System.Text;

namespace FunctionsIvr.Agents;

/// <summary>
/// The screen pop for the person about to pick up: who is calling, what they did in the menu, what they were
/// looking at, and what is open for them. Recorded just before the transfer; shown on the agent page.
/// </summary>
public sealed record AgentCard
{
    /// <summary>Grows with every card of a login; set by the store. The agent page asks for cards after the last id it has.</summary>
    public long Id { get; init; }

    /// <summary>PBX object login the call is transferred to (an agent or a queue).</summary>
    public required string Login { get; init; }
    public required string CallId { get; init; }

    /// <summary>One card per transfer answer: a repeated callback gives the same key and does not add a second card.</summary>
    public required string Key { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string CallerName { get; init; } = "";
    public string Company { get; init; } = "";
    public string Segment { get; init; } = "";

    /// <summary>The caller's number with all but its last three digits masked.</summary>
    public string MaskedNumber { get; init; } = "";

    /// <summary>The menu path, e.g. <c>main_menu → order_status</c>, oldest first.</summary>
    public IReadOnlyList<string> Steps { get; init; } = [];

    /// <summary>The order or complaint the caller was on when they asked for a person.</summary>
    public string? LookingAt { get; init; }
    public IReadOnlyList<string> OpenOrders { get; init; } = [];
    public IReadOnlyList<string> OpenComplaints { get; init; } = [];

    /// <summary>What could not be read in time (the card is shown anyway).</summary>
    public IReadOnlyList<string> Missing { get; init; } = [];

    /// <summary>The card as plain text, for the ERP's call record.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var who = string.Join(", ", new[] { CallerName, Company }.Where(s => s.Length > 0));
        text.Append("Caller: ").Append(who.Length == 0 ? "unknown" : who);
        if (Segment.Length > 0) text.Append(" (").Append(Segment).Append(')');
        if (MaskedNumber.Length > 0) text.Append(", ").Append(MaskedNumber);
        text.Append(". Transferred to ").Append(Login).Append('.');
        if (Steps.Count > 0) text.Append(" Menu: ").Append(string.Join(" → ", Steps)).Append('.');
        if (LookingAt is not null) text.Append(" Looking at ").Append(LookingAt).Append('.');
        if (OpenOrders.Count > 0) text.Append(" Open orders: ").Append(string.Join("; ", OpenOrders)).Append('.');
        if (OpenComplaints.Count > 0) text.Append(" Open complaints: ").Append(string.Join("; ", OpenComplaints)).Append('.');
        text.Append(" Call ").Append(CallId).Append('.');
        return text.ToString();
    }
}
