using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Ivr;
using FunctionsIvr.Tests.Calls;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// One caller in a drill, played as the platform plays it: each callback posted to <c>/api/ivr</c> with the previous
/// Session, timed, and checked for a valid answer (200, JSON, a known action type). Holding prompts take
/// <see cref="HoldPlayMs"/> to play, as a real "please wait" does, so slow work gets the time the platform gives it.
/// </summary>
internal sealed class DrillCall(WebApplicationFactory<Program> app, string fromNumber)
{
    /// <summary>How long the platform takes to play a holding prompt before the next callback.</summary>
    public const int HoldPlayMs = 2000;

    private static readonly HashSet<string> ActionTypes =
    [
        IvrActionTypes.Answer, IvrActionTypes.DontAnswer, IvrActionTypes.Play, IvrActionTypes.Wait, IvrActionTypes.GetDtmf,
        IvrActionTypes.CallExternalNumber, IvrActionTypes.CallLocalNumber, IvrActionTypes.CallByObjectLogin, IvrActionTypes.Hangup,
        IvrActionTypes.SayNumber, IvrActionTypes.SayDigits, IvrActionTypes.SayDate, IvrActionTypes.SayTime,
    ];

    private readonly List<DrillAnswer> _answers = [];
    private JsonNode? _session;

    public string CallId { get; } = "drill-" + Guid.NewGuid().ToString("N");

    public IReadOnlyList<DrillAnswer> Answers
    {
        get
        {
            lock (_answers) return [.. _answers];
        }
    }

    public DrillAnswer Last => Answers[^1];

    /// <summary>True once the call is over: hung up or handed to a person.</summary>
    public bool Ended => Last.ActionType is IvrActionTypes.Hangup or IvrActionTypes.CallByObjectLogin or IvrActionTypes.CallExternalNumber
        or IvrActionTypes.CallLocalNumber or null;

    public bool Heard(string prompt) => Answers.Any(a => a.Prompt == prompt);

    public async Task<DrillAnswer> SendAsync(string eventName, string eventData = "")
    {
        var request = IvrApp.Callback(eventName, eventData, _session, CallId);
        request["FromNumber"] = fromNumber;
        using var client = app.CreateClient();
        using var content = new StringContent(new JsonObject { ["request"] = request }.ToJsonString(), Encoding.UTF8, "application/json");
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync(new Uri("/api/ivr", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;

        var answer = Read((int)response.StatusCode, text, eventName, elapsed);
        lock (_answers) _answers.Add(answer);
        if (answer.Session is not null) _session = answer.Session;
        return answer;
    }

    /// <summary>Reports each action done until the call asks for keys or ends; a holding prompt plays for <see cref="HoldPlayMs"/> first.</summary>
    public async Task ListenAsync(string holdPrompt, int max = 40)
    {
        for (var i = 0; i < max && !Ended && Last.ActionType != IvrActionTypes.GetDtmf; i++)
        {
            if (Last.Prompt == holdPrompt) await Task.Delay(HoldPlayMs);
            await SendAsync(Last.ActionType!);
        }
    }

    /// <summary>Keys pressed at a menu; nothing is sent when the call has already ended.</summary>
    public async Task PressAsync(string keys, string holdPrompt)
    {
        if (Ended) return;
        await SendAsync("GetDTMF", keys);
        await ListenAsync(holdPrompt);
    }

    private static DrillAnswer Read(int status, string text, string eventName, double elapsedMs)
    {
        if (status != 200) return new DrillAnswer(eventName, status, null, null, null, elapsedMs, $"HTTP {status}: {Shorten(text)}");
        JsonObject body;
        try
        {
            body = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("empty body");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return new DrillAnswer(eventName, status, null, null, null, elapsedMs, "not a JSON object: " + Shorten(text));
        }

        var type = body["Action"]?["Type"]?.GetValue<string>();
        var prompt = body["Action"]?["Prompt"]?.GetValue<string>();
        var problem = type is null || !ActionTypes.Contains(type) ? $"no known action type: {Shorten(text)}"
            : type is IvrActionTypes.Play or IvrActionTypes.GetDtmf && string.IsNullOrEmpty(prompt) ? $"{type} without a prompt"
            : null;
        return new DrillAnswer(eventName, status, type, prompt, body["Session"]?.DeepClone(), elapsedMs, problem);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}

/// <param name="Problem">Why the answer is not a valid IVR action; null when it is.</param>
internal sealed record DrillAnswer(string Event, int Status, string? ActionType, string? Prompt, JsonNode? Session, double ElapsedMs, string? Problem);
