using System.Text.Json.Nodes;
using FunctionsIvr.Tests.Calls;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.Tests.Integration;

/// <summary>Plays the platform for one call: posts each callback to <c>/api/ivr</c> with the Session of the previous answer.</summary>
internal sealed class CallDriver(WebApplicationFactory<Program> app, string fromNumber, string? callId = null)
{
    public string CallId { get; } = callId ?? "it-" + Guid.NewGuid().ToString("N");

    /// <summary>Every answer so far, in order (one per callback).</summary>
    public List<JsonObject> Answers { get; } = [];

    public JsonNode? Session { get; private set; }

    public JsonObject Last => Answers[^1];

    public string LastType => IvrApp.Text(Last, "Type");

    public string? LastPrompt => Last["Action"]?["Prompt"]?.GetValue<string>();

    /// <summary>Posts one callback; <paramref name="session"/> overrides the Session sent (to repeat an earlier callback).</summary>
    public async Task<JsonObject> SendAsync(string eventName, string eventData = "", JsonNode? session = null)
    {
        var request = IvrApp.Callback(eventName, eventData, session ?? Session, CallId);
        request["FromNumber"] = fromNumber;
        using var client = app.CreateClient();
        using var content = new StringContent(new JsonObject { ["request"] = request }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/ivr", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"/api/ivr answered {(int)response.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!.AsObject();
        Answers.Add(body);
        Session = body["Session"]?.DeepClone();
        return body;
    }

    /// <summary>Reports each action done (its type as the event) until the call asks for keys; Answer included.</summary>
    public async Task<JsonObject> ListenUntilAskedAsync(int max = 40)
    {
        for (var i = 0; i < max && LastType is not ("GetDTMF" or "Hangup" or "CallByObjectLogin"); i++)
        {
            await SendAsync(LastType);
        }

        return LastType == "GetDTMF" ? Last : throw new InvalidOperationException($"The call did not ask for keys: {Last.ToJsonString()}");
    }
}
