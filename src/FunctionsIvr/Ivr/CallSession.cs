using System.Collections.Immutable;

namespace FunctionsIvr.Ivr;

/// <summary>
/// What travels in the platform's Session between two callbacks: the step the call waits in, the attempts at
/// that step, how many callbacks the call has had, and a few small values. Signed by <see cref="SessionCodec"/>
/// so a forged or replayed Session cannot move a call; anything large belongs in the call state store.
/// </summary>
public sealed record CallSession
{
    public const int CurrentVersion = 1;

    public required string Step { get; init; }

    /// <summary>Attempts at <see cref="Step"/> (DTMF re-asks, holding prompts); reset when the step changes.</summary>
    public int Tries { get; init; }

    /// <summary>Callbacks answered so far in this call; the engine caps it.</summary>
    public int Steps { get; init; }

    /// <summary>Small flow values (ids, a chosen menu key). Keep keys and values short.</summary>
    public ImmutableSortedDictionary<string, string> Data { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public string? Get(string key) => Data.TryGetValue(key, out var value) ? value : null;

    public CallSession With(string key, string? value) =>
        this with { Data = value is null ? Data.Remove(key) : Data.SetItem(key, value) };
}
