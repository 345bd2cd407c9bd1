using FunctionsIvr.Erp;

namespace FunctionsIvr.CallRecords;

/// <summary>
/// Command on the <c>call-records</c> queue: set what happened on the ERP's record of a call (null fields stay as
/// they are). It carries the <see cref="Open"/> command of its call, so the processor can find the record (the ERP's
/// create is idempotent per call) on any instance, even before the open itself was processed.
/// </summary>
public sealed record UpdateCallRecord
{
    public required string CallId { get; init; }

    /// <summary><see cref="CallOutcomes"/>.</summary>
    public string? Outcome { get; init; }
    public string? OrderNumber { get; init; }

    /// <summary>PBX object login the call was bridged to.</summary>
    public string? TransferredTo { get; init; }
    public string? Card { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    public required OpenCallRecord Open { get; init; }

    /// <summary>
    /// The update's place in its call (the number in its MessageId): later updates win field by field, whatever order
    /// they are processed in. Null in messages queued before it was sent: applied on their own, as they come.
    /// </summary>
    public int? Number { get; init; }

    public UpdateCallRecordRequest ToUpdateRequest() => new()
    {
        Outcome = Outcome,
        OrderNumber = OrderNumber,
        TransferredTo = TransferredTo,
        Card = Card,
        EndedAt = EndedAt,
    };
}
