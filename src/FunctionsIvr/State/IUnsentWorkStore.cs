namespace FunctionsIvr.State;

/// <summary>
/// Work messages the queue did not accept, waiting for the outbox sweep to send them. A seam: in memory locally,
/// Table Storage in Azurite and Azure. Nothing here is read on the call path; parking is one write.
/// </summary>
public interface IUnsentWorkStore
{
    /// <summary>Inserts or replaces the entry of this queue and MessageId (a repeated callback parks the same message); sets its ETag.</summary>
    Task ParkAsync(UnsentWork work, CancellationToken cancellationToken = default);

    /// <summary>Everything parked, oldest first, for the sweep.</summary>
    Task<IReadOnlyList<UnsentWork>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes the entry once the queue accepted the message; an entry already gone is not an error.</summary>
    Task RemoveAsync(string queueName, string messageId, CancellationToken cancellationToken = default);
}
