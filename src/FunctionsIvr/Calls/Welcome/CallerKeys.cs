namespace FunctionsIvr.Calls.Welcome;

/// <summary>Session keys describing the caller, set once by identification and read by every flow.</summary>
public static class CallerKeys
{
    /// <summary>ERP contact id; absent for unknown callers.</summary>
    public const string ContactId = "cid";

    /// <summary>Contact segment (e.g. <c>vip</c>).</summary>
    public const string Segment = "seg";

    /// <summary>PBX login of the contact's account manager, the first person a transfer tries.</summary>
    public const string AccountManagerLogin = "am";

    /// <summary><see cref="CallerKinds"/>.</summary>
    public const string Kind = "who";

    /// <summary>Campaign id when the dialled number belongs to a campaign.</summary>
    public const string Campaign = "camp";
}

public static class CallerKinds
{
    public const string Known = "known";
    public const string Vip = "vip";
    public const string Guest = "guest";
    public const string Blocked = "blocked";
}
