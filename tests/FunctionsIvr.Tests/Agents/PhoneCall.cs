using System.Text.Json.Nodes;
using FunctionsIvr.Ivr;
using FunctionsIvr.Tests.Calls;

namespace FunctionsIvr.Tests.Agents;

/// <summary>A caller over HTTP, as the platform posts callbacks: answers each action with its natural event.</summary>
public static class PhoneCall
{
    /// <summary>
    /// Calls in and presses <paramref name="menuKeys"/> at each menu until the handler answers with a transfer;
    /// returns every answer, the transfer last.
    /// </summary>
    public static async Task<List<JsonObject>> UntilTransferAsync(IvrApp app, string callId, string menuKeys = "0", int maxCallbacks = 12)
    {
        var answers = new List<JsonObject>();
        var (status, body) = await app.PostAsync(IvrApp.Callback("Connected", callId: callId));
        for (var i = 0; i < maxCallbacks; i++)
        {
            if (status != 200 || body is null) throw new InvalidOperationException($"callback answered {status}");
            answers.Add(body);
            var type = IvrApp.Text(body, "Type");
            if (type == IvrActionTypes.CallByObjectLogin) return answers;
            var (eventName, data) = type switch
            {
                IvrActionTypes.Answer => ("Answer", ""),
                IvrActionTypes.GetDtmf => ("GetDTMF", menuKeys),
                IvrActionTypes.Hangup => throw new InvalidOperationException("the call hung up before a transfer"),
                _ => (type, ""),
            };
            (status, body) = await app.PostAsync(IvrApp.Callback(eventName, data, body["Session"], callId));
        }

        throw new InvalidOperationException("no transfer within " + maxCallbacks + " callbacks");
    }

    /// <summary>The transfer was answered by the person: the platform's CallStatus callback after it.</summary>
    public static async Task<JsonObject?> AnsweredAsync(IvrApp app, string callId, JsonObject transfer) =>
        (await app.PostAsync(IvrApp.Callback("CallStatus", CallStatuses.Answer, transfer["Session"], callId))).Body;
}
