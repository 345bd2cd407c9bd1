using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Display;

/// <summary>Describes what the platform told the app: the event, and the Error object when there is one.</summary>
public static class CallbackDescriber
{
    public static string Describe(Exchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var callback = exchange.Callback;
        var text = callback.Event switch
        {
            { Name: "Connected" } => "Connected: a call from " + callback.FromNumber + " to " + callback.ToNumber,
            { Name: "GetDTMF", Data: "" } => "GetDTMF: no digits (timeout)",
            { Name: "GetDTMF" } e => $"GetDTMF: caller typed {e.Data}",
            { Name: "CallStatus" } e => "CallStatus " + e.Data,
            { Data: "" } e => e.Name,
            var e => e.Name + " " + e.Data,
        };
        if (callback.Error is { } error)
        {
            text += $" + Error {error.ErrorNo} \"{error.ErrorMsg}\"";
        }

        return (exchange.Repeated ? "↻ again: " : "→ ") + text;
    }
}
