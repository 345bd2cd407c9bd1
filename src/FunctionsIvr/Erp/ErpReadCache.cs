using System.Collections.Concurrent;

namespace FunctionsIvr.Erp;

/// <summary>
/// Short-lived copies of ERP answers that many calls ask for again and again: who calls from a number and what a
/// product costs and has in stock. A hit saves the caller an ERP round trip and the ERP a request; an entry lives
/// <see cref="ErpClientOptions.ContactCacheSeconds"/> / <see cref="ErpClientOptions.ProductCacheSeconds"/>, so a
/// change in the ERP reaches callers within that time. Only answers are kept, never failures; orders, complaints and
/// anything written are always read from the ERP. One per app (singleton), shared by every call.
/// </summary>
public sealed class ErpReadCache(TimeProvider timeProvider, int maxEntries = 10_000)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The kept answer for <paramref name="key"/> when it is younger than its time to live.</summary>
    public bool TryGet<T>(string key, out T? value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.Value is T or null && timeProvider.GetUtcNow() < entry.ExpiresAt)
        {
            value = (T?)entry.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> (null too: "nobody has that number" is an answer) for <paramref name="timeToLive"/>.</summary>
    public void Set<T>(string key, T? value, TimeSpan timeToLive)
    {
        if (timeToLive <= TimeSpan.Zero) return;
        var now = timeProvider.GetUtcNow();
        if (_entries.Count >= maxEntries) Trim(now);
        _entries[key] = new Entry(value, now + timeToLive);
    }

    public int Count => _entries.Count;

    /// <summary>Bounded memory: drop what has expired, and when everything is still fresh, start over.</summary>
    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now) _entries.TryRemove(key, out _);
        }

        if (_entries.Count >= maxEntries) _entries.Clear();
    }

    private sealed record Entry(object? Value, DateTimeOffset ExpiresAt);
}
