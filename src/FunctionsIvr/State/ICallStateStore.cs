using Azure;

namespace FunctionsIvr.State;

/// <summary>
/// Per-call state with optimistic concurrency. A seam: in memory locally, Table Storage in Azure.
/// Both throw <see cref="RequestFailedException"/> the way Table Storage does: 409 when inserting a state
/// that exists, 412 when the ETag no longer matches.
/// </summary>
public interface ICallStateStore
{
    Task<CallState?> GetAsync(string callId, CancellationToken cancellationToken = default);

    /// <summary>Inserts when <c>state.ETag</c> is default, otherwise replaces If-Match that ETag. Sets and returns the new ETag.</summary>
    Task<ETag> SaveAsync(CallState state, CancellationToken cancellationToken = default);
}
