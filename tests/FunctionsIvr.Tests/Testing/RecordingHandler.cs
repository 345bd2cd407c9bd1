using System.Net;

namespace FunctionsIvr.Tests.Testing;

/// <summary>
/// The process edge for client tests that need no real server: records every request as sent (headers, body)
/// and answers with whatever the test's responder returns.
/// </summary>
public sealed class RecordingHandler(Func<RecordedRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests) return _requests.ToList();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        // NonValidated: the raw values as they go on the wire, not re-parsed and re-formatted by HttpClient.
        var headers = request.Headers.NonValidated
            .Concat(request.Content?.Headers.NonValidated ?? default)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, headers, body);
        lock (_requests) _requests.Add(recorded);
        var response = respond(recorded);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, string json, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

public sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The path and query exactly as they went on the wire (still percent-encoded).</summary>
    public string RawPathAndQuery => Uri.PathAndQuery;
}
