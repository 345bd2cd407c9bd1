namespace FunctionsIvr.Ivr;

/// <summary>
/// One action as the platform receives it: a Type and its parameters, all strings, in wire order.
/// Built only through the factories, which take panel prompt numbers and resolved parameter names;
/// flows speak of prompts by logical name and get these from <c>CallContext</c>.
/// </summary>
public sealed class IvrAction
{
    private IvrAction(string type, params KeyValuePair<string, string>[] parameters)
    {
        Type = type;
        Parameters = parameters;
    }

    public string Type { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }

    public string? this[string name] => Parameters.FirstOrDefault(p => p.Key == name).Value;

    public static IvrAction Answer() => new(IvrActionTypes.Answer);

    public static IvrAction DontAnswer() => new(IvrActionTypes.DontAnswer);

    public static IvrAction Hangup() => new(IvrActionTypes.Hangup);

    public static IvrAction Play(string promptNumber) => new(IvrActionTypes.Play, P("Prompt", promptNumber));

    public static IvrAction Wait(int seconds) => new(IvrActionTypes.Wait, P("WaitTime", Num(seconds)));

    /// <param name="timeoutMs">Milliseconds allowed for the next digit.</param>
    public static IvrAction GetDtmf(string promptNumber, int timeoutMs, int maxDigits) =>
        new(IvrActionTypes.GetDtmf, P("Prompt", promptNumber), P("Timeout", Num(timeoutMs)), P("MaxDigits", Num(maxDigits)));

    public static IvrAction CallExternalNumber(string destination, CallOptions options) =>
        new(IvrActionTypes.CallExternalNumber, P("Destination", destination), P("Options", options.ToString()));

    public static IvrAction CallLocalNumber(string destination, CallOptions options) =>
        new(IvrActionTypes.CallLocalNumber, P("Destination", destination), P("Options", options.ToString()));

    public static IvrAction CallByObjectLogin(string login, CallOptions options) =>
        new(IvrActionTypes.CallByObjectLogin, P("Destination", login), P("Options", options.ToString()));

    /// <summary>A Say* action; the parameter name is configuration (the platform does not publish it).</summary>
    public static IvrAction Say(string sayType, string parameterName, string value) =>
        new(sayType, P(parameterName, value));

    private static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    private static string Num(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class IvrActionTypes
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

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Answer, DontAnswer, Play, Wait, GetDtmf, CallExternalNumber, CallLocalNumber, CallByObjectLogin, Hangup,
        SayNumber, SayDigits, SayDate, SayTime,
    };
}

/// <summary>The Options string of the Call… actions; only the documented vocabulary is emitted.</summary>
public sealed record CallOptions(int TimeoutSeconds, bool PlayCallStatus = true, bool RingTones = true)
{
    public override string ToString()
    {
        var parts = new List<string>(3);
        if (PlayCallStatus) parts.Add("PlayCallStatus");
        if (RingTones) parts.Add("RingTones");
        parts.Add("Timeout=" + TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join(',', parts);
    }
}

/// <summary>CallStatus event values (note the platform's spelling of Noanswer).</summary>
public static class CallStatuses
{
    public const string Answer = "Answer";
    public const string Busy = "Busy";
    public const string Noanswer = "Noanswer";
    public const string Cancel = "Cancel";
    public const string Error = "Error";
}
