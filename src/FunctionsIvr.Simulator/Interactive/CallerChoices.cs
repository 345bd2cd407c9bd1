using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Simulator.Interactive;

/// <summary>The outcomes a person can pick for a Call… action, shared by both kinds of input.</summary>
public static class CallerChoices
{
    public static readonly PlatformError NoSipAccount = new("4", "no SIP account");

    public static readonly IReadOnlyList<(string Label, CallInput Input)> CallOutcomes =
    [
        ("Answer (the destination picks up)", CallInput.CallStatus(CallStatuses.Answer)),
        ("Busy", CallInput.CallStatus(CallStatuses.Busy)),
        ("Noanswer (rang out)", CallInput.CallStatus(CallStatuses.Noanswer)),
        ("Cancel", CallInput.CallStatus(CallStatuses.Cancel)),
        ("Error", CallInput.CallStatus(CallStatuses.Error)),
        ("Error with the platform Error object (4, no SIP account)", CallInput.CallStatus(CallStatuses.Error, NoSipAccount)),
    ];

    /// <summary>Keeps what a keypad can send, cut to MaxDigits as the platform stops collecting there.</summary>
    public static string KeypadDigits(string typed, AnsweredAction getDtmf)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(getDtmf);
        var keys = new string(typed.Where(c => char.IsAsciiDigit(c) || c is '*' or '#').ToArray());
        return int.TryParse(getDtmf["MaxDigits"], out var max) && max > 0 && keys.Length > max ? keys[..max] : keys;
    }
}
