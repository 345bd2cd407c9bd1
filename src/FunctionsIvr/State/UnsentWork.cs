using Azure;
using FunctionsIvr.Work;

namespace FunctionsIvr.State;

/// <summary>
/// Out-of-band work the queue did not accept on the call path (an escalation, a call record change), parked so the
/// outbox sweep sends it later, unchanged and with the same MessageId (duplicate detection keeps it single). Keyed by
/// the queue and the MessageId: parking the same message again replaces it.
/// </summary>
public sealed class UnsentWork
{
    public UnsentWork(WorkMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
    }

    public WorkMessage Message { get; }

    public string CallId { get; init; } = "";

    public DateTimeOffset ParkedAt { get; init; }

    /// <summary>Why the queue did not take it (the last send's error), for whoever looks at the table.</summary>
    public string? LastError { get; init; }

    public ETag ETag { get; set; }
}
