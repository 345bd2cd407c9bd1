namespace FunctionsIvr.CallRecords;

/// <summary>Session keys of the call record (short: the Session travels on every callback).</summary>
public static class CallRecordKeys
{
    /// <summary>When the call was identified, in Unix seconds; set with the open command, absent before.</summary>
    public const string StartedAt = "t0";

    /// <summary>The number of the last update command sent (its MessageId suffix).</summary>
    public const string LastUpdate = "crn";
}
