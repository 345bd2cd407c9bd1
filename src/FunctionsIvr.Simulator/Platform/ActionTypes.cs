namespace FunctionsIvr.Simulator.Platform;

/// <summary>
/// The action vocabulary of the IVR API, written down here independently of the app so the simulator checks the
/// app against the protocol rather than against itself.
/// </summary>
public static class ActionTypes
{
    public const string Answer = "Answer";
    public const string DontAnswer = "DontAnswer";
    public const string Play = "Play";
    public const string Wait = "Wait";
    public const string GetDtmf = "GetDTMF";
    public const string CallExternalNumber = "CallExternalNumber";
    public const string CallLocalNumber = "CallLocalNumber";
    public const string CallByObjectLogin = "CallByObjectLogin";
    public const string Hangup = "Hangup";
    public const string SayNumber = "SayNumber";
    public const string SayDigits = "SayDigits";
    public const string SayDate = "SayDate";
    public const string SayTime = "SayTime";

    public static readonly IReadOnlyList<string> All =
    [
        Answer, DontAnswer, Play, Wait, GetDtmf, CallExternalNumber, CallLocalNumber, CallByObjectLogin, Hangup,
        SayNumber, SayDigits, SayDate, SayTime,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    public static bool IsCall(string type) => type is CallExternalNumber or CallLocalNumber or CallByObjectLogin;

    public static bool IsSay(string type) => type is SayNumber or SayDigits or SayDate or SayTime;

    /// <summary>Actions after which the platform sends no further callback.</summary>
    public static bool EndsCall(string type) => type is Hangup or DontAnswer;

    /// <summary>The spelling the platform expects for a type written in another casing, or null when it is no type at all.</summary>
    public static string? CorrectCasing(string type) =>
        All.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
}
