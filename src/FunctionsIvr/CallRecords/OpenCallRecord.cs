using FunctionsIvr.Erp;

namespace FunctionsIvr.CallRecords;

/// <summary>
/// Command on the <c>call-records</c> queue: open the ERP's record of a call. Built from the Session and the callback
/// (<see cref="CallRecordUpdates"/>), so every callback of the call builds the same one.
/// </summary>
public sealed record OpenCallRecord
{
    /// <summary>Sent to the ERP when the platform hid the caller's number (the ERP requires one).</summary>
    public const string HiddenNumber = "anonymous";

    public required string CallId { get; init; }
    public required string FromNumber { get; init; }

    /// <summary>The number the caller dialled: campaigns are reported by it.</summary>
    public required string DialledNumber { get; init; }
    public string? ContactId { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Campaign id when the dialled number belongs to one; the ERP record has no field for it, so it goes on the card.</summary>
    public string? Campaign { get; init; }

    public CreateCallRecordRequest ToCreateRequest() => new()
    {
        CallId = CallId,
        FromNumber = string.IsNullOrWhiteSpace(FromNumber) ? HiddenNumber : FromNumber,
        DialledNumber = DialledNumber,
        ContactId = ContactId,
        StartedAt = StartedAt,
        Card = CallRecordUpdates.CampaignCard(Campaign, null),
    };
}
