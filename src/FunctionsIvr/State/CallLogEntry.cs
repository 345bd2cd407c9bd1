namespace FunctionsIvr.State;

/// <summary>
/// One answered callback, for support: what came in (digits already masked), what we answered, how long it took.
/// <see cref="Sequence"/> is the callback's number within the call (Session step count), so a repeated callback
/// overwrites its own line instead of adding one.
/// </summary>
public sealed record CallLogEntry
{
    public required string CallId { get; init; }
    public required int Sequence { get; init; }
    public required DateTimeOffset Time { get; init; }
    public string Step { get; init; } = "";
    public string EventName { get; init; } = "";
    public string EventData { get; init; } = "";
    public string ActionType { get; init; } = "";

    /// <summary>The action in short, e.g. <c>GetDTMF prompt=main_menu digits=1</c>.</summary>
    public string Action { get; init; } = "";
    public string NextStep { get; init; } = "";
    public double DurationMs { get; init; }

    /// <summary>ERP calls made while answering, e.g. <c>GET /contacts 38 ms</c>.</summary>
    public string ErpCalls { get; init; } = "";
    public string? Note { get; init; }
}
