using System.Net;
using System.Text;

namespace FunctionsIvr.Tests.Erp;

/// <summary>The ERP at the process edge: answers each request with the responder's reply and records what arrived.</summary>
internal sealed class StubErpHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly List<Received> _requests = [];

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_requests) return _requests.ToArray();
        }
    }

    public bool SawCancellation { get; private set; }

    public Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; } = respond;

    public static HttpResponseMessage Json(HttpStatusCode status, string json, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, mediaType) };

    public static Task<HttpResponseMessage> Reply(HttpStatusCode status, string json = "{}", string mediaType = "application/json") =>
        Task.FromResult(Json(status, json, mediaType));

    /// <summary>Never answers; notes when the client gives up.</summary>
    public async Task<HttpResponseMessage> HangAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            SawCancellation = true;
            throw;
        }

        throw new InvalidOperationException("unreachable");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        int attempt;
        lock (_requests)
        {
            _requests.Add(new Received(request.Method, request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), body));
            attempt = _requests.Count;
        }

        return await Respond(request, attempt, cancellationToken);
    }

    public sealed record Received(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body)
    {
        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
    }
}
