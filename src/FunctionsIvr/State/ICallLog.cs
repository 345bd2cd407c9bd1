namespace FunctionsIvr.State;

/// <summary>The per-call log of every callback. A seam: in memory locally, Table Storage in Azure.</summary>
public interface ICallLog
{
    /// <summary>Writes the entry; an entry with the same CallId and Sequence is replaced (idempotent).</summary>
    Task AppendAsync(CallLogEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The call's entries in Sequence order; empty for an unknown call.</summary>
    Task<IReadOnlyList<CallLogEntry>> ReadAsync(string callId, CancellationToken cancellationToken = default);
}
