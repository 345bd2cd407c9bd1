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

    /// <summary>No values, keys compared ordinally: the order the signature covers, and cheaper than culture-aware lookups.</summary>
    public static ImmutableSortedDictionary<string, string> EmptyData { get; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Small flow values (ids, a chosen menu key). Keep keys and values short.</summary>
    public ImmutableSortedDictionary<string, string> Data { get; init; } = EmptyData;

    public string? Get(string key) => Data.TryGetValue(key, out var value) ? value : null;

    /// <summary>This Session with <paramref name="key"/> set (removed when null); the same instance when nothing changes.</summary>
    public CallSession With(string key, string? value)
    {
        var data = value is null ? Data.Remove(key) : Data.SetItem(key, value);
        return ReferenceEquals(data, Data) ? this : this with { Data = data };
    }
}
