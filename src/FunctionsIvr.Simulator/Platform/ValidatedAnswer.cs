using System.Text.Json;

namespace FunctionsIvr.Simulator.Platform;

/// <summary>
/// An answer as the platform understood it: the action (as far as it could be read, even from a bad answer, so a
/// person sees what arrived), the Session to echo, and every way the answer breaks the protocol.
/// </summary>
public sealed record ValidatedAnswer
{
    public AnsweredAction? Action { get; init; }

    /// <summary>The Session to send back next time; null when the answer had none (or a JSON null).</summary>
    public JsonElement? Session { get; init; }

    /// <summary>The parsed body, kept to compare two answers to the same callback.</summary>
    public JsonElement? Body { get; init; }

    /// <summary>Breaks of the protocol: the platform would take its fallback instead of running the action.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>Things that work but should not be relied on (a large Session, an unconfirmed Say* format).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool IsValid => Violations.Count == 0 && Action is not null;
}
