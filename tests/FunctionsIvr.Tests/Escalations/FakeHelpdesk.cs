using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace FunctionsIvr.Tests.Escalations;

/// <summary>
/// A helpdesk ticket endpoint (<c>POST /api/tickets</c>): checks the bearer token, requires an Idempotency-Key,
/// creates one ticket per key (201 with an id) and answers 409 to a repeated key; errors on demand with
/// <see cref="FailNext"/>, or a slow answer with <see cref="Delay"/>.
/// </summary>
internal sealed class FakeHelpdesk : IAsyncDisposable
{
    public const string Token = "helpdesk-test-token";
    public const string TicketsPath = "/api/tickets";

    private readonly ConcurrentQueue<FakeResponse> _failures = new();
    private readonly ConcurrentDictionary<string, string> _ticketsByKey = new();
    private FakeHttpServer _server = null!;
    private int _created;

    public Uri TicketsUrl => new(_server.BaseAddress, TicketsPath);

    public IEnumerable<RecordedRequest> Requests => _server.Requests;

    /// <summary>Tickets created, as JSON, in order.</summary>
    public ConcurrentQueue<JsonObject> Tickets { get; } = new();

    public TimeSpan Delay { get; set; }

    public static async Task<FakeHelpdesk> StartAsync()
    {
        var helpdesk = new FakeHelpdesk();
        helpdesk._server = await FakeHttpServer.StartAsync(helpdesk.AnswerAsync);
        return helpdesk;
    }

    public void FailNext(int status, string body = "{\"error\":\"failure on demand\"}") => _failures.Enqueue(new FakeResponse(status, body));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task<FakeResponse> AnswerAsync(RecordedRequest request, CancellationToken cancellationToken)
    {
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        if (request.Method != "POST" || request.Path != TicketsPath) return new FakeResponse(404, "{\"error\":\"not found\"}");
        if (request.Header("Authorization") != $"Bearer {Token}") return new FakeResponse(401, "{\"error\":\"invalid token\"}");
        if (_failures.TryDequeue(out var failure)) return failure;
        if (request.Header("Idempotency-Key") is not { Length: > 0 } key) return new FakeResponse(400, "{\"error\":\"Idempotency-Key required\"}");
        if (JsonNode.Parse(request.Body) is not JsonObject ticket || ticket["title"] is null)
            return new FakeResponse(422, "{\"error\":\"title is required\"}");

        if (_ticketsByKey.TryGetValue(key, out var existing))
            return new FakeResponse(409, new JsonObject { ["id"] = existing, ["error"] = "duplicate Idempotency-Key" }.ToJsonString());
        var id = $"T-{Interlocked.Increment(ref _created)}";
        _ticketsByKey[key] = id;
        Tickets.Enqueue(ticket);
        return new FakeResponse(201, new JsonObject { ["id"] = id }.ToJsonString());
    }
}
