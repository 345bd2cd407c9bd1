using Azure;

namespace FunctionsIvr.State;

/// <summary>
/// The larger per-call state that does not belong in Session (ERP lookups, the order being prepared),
/// keyed by UniqueCallId. <see cref="ETag"/> is the version read; saving with it fails with 412 if someone
/// else saved in between.
/// </summary>
public sealed class CallState
{
    public CallState(string callId) => CallId = callId;

    public string CallId { get; }

    public Dictionary<string, string> Values { get; init; } = new(StringComparer.Ordinal);

    /// <summary><c>default</c> for a state never saved; set by the store on read and save.</summary>
    public ETag ETag { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
