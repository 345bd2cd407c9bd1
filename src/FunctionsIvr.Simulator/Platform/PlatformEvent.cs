namespace FunctionsIvr.Simulator.Platform;

/// <summary>The <c>Event</c> of a callback: what happened since the app's last answer.</summary>
public sealed record PlatformEvent(string Name, string Data)
{
    public static readonly PlatformEvent Connected = new("Connected", "");

    /// <summary>
    /// The event the platform sends once <paramref name="action"/> has run: the action's own name for Answer, Play,
    /// Wait and Say*, the digits (empty on a timeout) after GetDTMF, and a CallStatus after a Call… action.
    /// </summary>
    /// <exception cref="InvalidOperationException">The action ends the call, or the input it needs is missing.</exception>
    public static PlatformEvent After(AnsweredAction action, CallInput input)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(input);
        if (action.EndsCall)
        {
            throw new InvalidOperationException($"{action.Type} ends the call; the platform sends nothing after it.");
        }

        if (action.Type == ActionTypes.GetDtmf)
        {
            return new("GetDTMF", input.Digits ?? "");
        }

        if (action.IsCall)
        {
            var status = input.Status ?? (input.Error is not null ? CallStatuses.Error : null)
                ?? throw new InvalidOperationException($"{action.Type} needs a call status ({string.Join('/', CallStatuses.All)}).");
            return new("CallStatus", status);
        }

        return new(action.Type, "");
    }
}
