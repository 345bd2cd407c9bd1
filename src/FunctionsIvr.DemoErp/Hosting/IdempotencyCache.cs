using System.Collections.Concurrent;
using System.Text.Json;
using FunctionsIvr.DemoErp.Data;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.DemoErp.Hosting;

/// <summary>
/// <c>Idempotency-Key</c> for POSTs that create things: the first successful answer is stored with a fingerprint of
/// the body; the same key and body again replays it (same status, same body, <c>Idempotent-Replayed: true</c>),
/// the same key with another body is a 422. Failures are not stored, so a retry after a refusal is tried afresh.
/// </summary>
public sealed class IdempotencyCache(IOptions<JsonOptions> jsonOptions)
{
    public const string HeaderName = "Idempotency-Key";

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _keyLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json = jsonOptions.Value.SerializerOptions;

    /// <summary>Forgets every key (with the data they answered for, on an admin reset).</summary>
    public void Clear() => _entries.Clear();

    public async Task<IResult> RunAsync<TBody, TResult>(
        HttpContext context, string scope, TBody body, Func<TResult> action, int status, Func<TResult, string>? location = null)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key))
        {
            var once = action();
            return Respond(context, status, JsonSerializer.Serialize(once, _json), location?.Invoke(once));
        }

        if (key.Length > 255) throw ProblemException.Validation("Idempotency-Key is longer than 255 characters.", HeaderName);

        var id = scope + "\n" + key;
        var fingerprint = JsonSerializer.Serialize(body, _json);
        var keyLock = _keyLocks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await keyLock.WaitAsync(context.RequestAborted);
        try
        {
            if (_entries.TryGetValue(id, out var entry))
            {
                if (entry.Fingerprint != fingerprint)
                {
                    throw new ProblemException(422, ProblemTypes.IdempotencyKeyReused, "Idempotency-Key reused with another request.",
                        "This key was already used for a different request body; use a new key for a new request.");
                }

                context.Response.Headers["Idempotent-Replayed"] = "true";
                return Respond(context, entry.Status, entry.Json, entry.Location);
            }

            var result = action();
            var json = JsonSerializer.Serialize(result, _json);
            var where = location?.Invoke(result);
            _entries[id] = new Entry(fingerprint, status, json, where);
            return Respond(context, status, json, where);
        }
        finally
        {
            keyLock.Release();
        }
    }

    private static IResult Respond(HttpContext context, int status, string json, string? where)
    {
        if (where is not null) context.Response.Headers.Location = where;
        return Results.Text(json, "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);
    }

    private sealed record Entry(string Fingerprint, int Status, string Json, string? Location);
}
