using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace FunctionsIvr.Tests.Escalations;

/// <summary>
/// The WhatsApp Cloud API messages endpoint, as far as a sender sees it: checks the path and the bearer token,
/// accepts a JSON message with <c>messaging_product: whatsapp</c> and answers a message id, or the next error queued
/// with <see cref="FailNext"/> in the Graph API error shape.
/// </summary>
internal sealed class FakeWhatsAppCloudApi : IAsyncDisposable
{
    public const string PhoneNumberId = "106540352242922";
    public const string AccessToken = "EAAG-test-token";
    public const string ApiVersion = "v21.0";

    private readonly ConcurrentQueue<FakeResponse> _failures = new();
    private FakeHttpServer _server = null!;
    private int _sent;

    public Uri BaseAddress => _server.BaseAddress;

    public IEnumerable<RecordedRequest> Requests => _server.Requests;

    /// <summary>Bodies of the messages accepted, as JSON.</summary>
    public ConcurrentQueue<JsonObject> Accepted { get; } = new();

    public static async Task<FakeWhatsAppCloudApi> StartAsync()
    {
        var api = new FakeWhatsAppCloudApi();
        api._server = await FakeHttpServer.StartAsync((request, _) => Task.FromResult(api.Answer(request)));
        return api;
    }

    public void FailNext(int status, int code, string message, string? details = null, int? subcode = null)
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
            ["fbtrace_id"] = "AbCdEf123",
        };
        if (subcode is not null) error["error_subcode"] = subcode;
        if (details is not null) error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        _failures.Enqueue(new FakeResponse(status, new JsonObject { ["error"] = error }.ToJsonString()));
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private FakeResponse Answer(RecordedRequest request)
    {
        if (request.Method != "POST" || request.Path != $"/{ApiVersion}/{PhoneNumberId}/messages")
            return Error(404, 100, $"Unsupported post request. Object with ID '{request.Path}' does not exist");
        if (request.Header("Authorization") != $"Bearer {AccessToken}")
            return Error(401, 190, "Error validating access token: Session has expired");
        if (_failures.TryDequeue(out var failure)) return failure;

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            body = null;
        }

        if (body is null || (string?)body["messaging_product"] != "whatsapp" || body["to"] is null || body["type"] is null)
            return Error(400, 100, "(#100) Invalid parameter");

        Accepted.Enqueue(body);
        var id = $"wamid.TEST{Interlocked.Increment(ref _sent)}";
        var answer = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = (string?)body["to"], ["wa_id"] = (string?)body["to"] }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = id }),
        };
        return new FakeResponse(200, answer.ToJsonString());
    }

    private static FakeResponse Error(int status, int code, string message) =>
        new(status, new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = "OAuthException", ["code"] = code, ["fbtrace_id"] = "AbCdEf123" },
        }.ToJsonString());
}
