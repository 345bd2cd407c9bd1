using System.Collections.Concurrent;

namespace FunctionsIvr.Calls;

/// <summary>
/// Work that outlived its callback's budget, kept so the next callback of the same call can pick up the result
/// instead of asking the ERP again. In-process only: a callback that lands on another instance simply redoes the
/// step (steps are idempotent), so this is a speed-up, never the only copy of anything. Giving up on work held on
/// another instance goes through the call state instead (<see cref="HeldTurns"/>).
/// </summary>
public sealed class PendingTurns(TimeProvider time)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, (Task<CallTurn> Work, DateTimeOffset Until)> _pending = new();

    public void Keep(string callId, int sequence, Task<CallTurn> work)
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _pending)
        {
            if (entry.Until < now) _pending.TryRemove(key, out _);
        }

        _pending[Key(callId, sequence)] = (work, now + KeepFor);
    }

    public Task<CallTurn>? Take(string callId, int sequence) =>
        _pending.TryRemove(Key(callId, sequence), out var entry) ? entry.Work : null;

    private static string Key(string callId, int sequence) => callId + "\n" + sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
