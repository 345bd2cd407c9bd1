namespace FunctionsIvr.Simulator.Platform;

/// <summary>
/// The action an answer carried: its Type and parameters in wire order. Values are the raw text the app sent
/// (for a parameter wrongly sent as a JSON number, its digits), so a person sees what arrived.
/// </summary>
public sealed class AnsweredAction(string type, IReadOnlyList<KeyValuePair<string, string>> parameters)
{
    public string Type { get; } = type;

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; } = parameters;

    public string? this[string name] => Parameters.FirstOrDefault(p => p.Key == name).Value;

    public bool EndsCall => ActionTypes.EndsCall(Type);

    public bool IsCall => ActionTypes.IsCall(Type);

    /// <summary>Seconds from <c>Timeout=N</c> in a Call… action's Options, when present and numeric.</summary>
    public int? RingTimeoutSeconds
    {
        get
        {
            var token = (this["Options"] ?? "").Split(',').Select(t => t.Trim())
                .FirstOrDefault(t => t.StartsWith("Timeout=", StringComparison.Ordinal));
            return token is not null && int.TryParse(token.AsSpan("Timeout=".Length), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
        }
    }

    public override string ToString() =>
        Parameters.Count == 0 ? Type : Type + " " + string.Join(", ", Parameters.Select(p => p.Key + "=" + p.Value));
}
