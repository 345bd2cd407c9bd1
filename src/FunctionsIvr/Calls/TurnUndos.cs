using System.Collections.Concurrent;

namespace FunctionsIvr.Calls;

/// <summary>
/// What works cut by their time limit left to undo, by call and turn, on this instance (an order's outbox write that may
/// have landed: its withdrawal). A cut work cannot tell whether the caller will hear that it failed: a replay of the held
/// callback on another instance may still finish the same turn and tell them it stood. The engine of this instance
/// learns it when it gives the turn up, by whichever callback and work, or answers the turn with an outcome no work let
/// stand; it then takes the turn's undos (<see cref="GiveUp"/>). A work that leaves its undo after that runs it itself.
/// </summary>
internal sealed class TurnUndos(TimeProvider time)
{
    /// <summary>Longer than any work's time limit (<c>Calls:WorkTimeoutMs</c>, at most two minutes): by then the call has moved on.</summary>
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Turn> _turns = new();

    // Undos left and not taken, over all turns: every callback asks, nearly always of none.
    private int _waiting;

    /// <summary>Leaves <paramref name="undo"/> with the turn; false when the turn was given up on here already: run it now.</summary>
    public bool TryLeave(string callId, int turn, Func<Task> undo)
    {
        var entry = Entry(callId, turn);
        lock (entry)
        {
            if (entry.GivenUp) return false;
            entry.Undos.Add(undo);
            Interlocked.Increment(ref _waiting);
            return true;
        }
    }

    /// <summary>Whether cut works left something to undo for the turn, not taken yet.</summary>
    public bool Has(string callId, int turn)
    {
        if (Volatile.Read(ref _waiting) == 0 || !_turns.TryGetValue(Key(callId, turn), out var entry)) return false;
        lock (entry) return entry.Undos.Count > 0;
    }

    /// <summary>The turn is given up on here: its undos, each returned once; an undo left later is run by its work.</summary>
    public IReadOnlyList<Func<Task>> GiveUp(string callId, int turn)
    {
        var entry = Entry(callId, turn);
        lock (entry)
        {
            entry.GivenUp = true;
            var undos = entry.Undos.ToArray();
            entry.Undos.Clear();
            Interlocked.Add(ref _waiting, -undos.Length);
            return undos;
        }
    }

    private Turn Entry(string callId, int turn)
    {
        var now = time.GetUtcNow();
        foreach (var (key, old) in _turns)
        {
            if (old.Until >= now || !_turns.TryRemove(key, out _)) continue;
            lock (old)
            {
                Interlocked.Add(ref _waiting, -old.Undos.Count);
                old.Undos.Clear();
            }
        }

        return _turns.GetOrAdd(Key(callId, turn), static (_, until) => new Turn(until), now + KeepFor);
    }

    private static string Key(string callId, int turn) => callId + "\n" + turn.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Turn(DateTimeOffset until)
    {
        public DateTimeOffset Until { get; } = until;

        public bool GivenUp { get; set; }

        public List<Func<Task>> Undos { get; } = [];
    }
}
