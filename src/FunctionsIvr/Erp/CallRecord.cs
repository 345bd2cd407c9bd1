namespace FunctionsIvr.Erp;

/// <summary>
/// The ERP's record of one phone call (a case or lead), opened when the call starts and closed with its outcome.
/// <see cref="DialledNumber"/> lets campaigns (one number per campaign) be reported; <see cref="Card"/> is free text
/// a CRM can pop on an agent's screen.
/// </summary>
public sealed record CallRecord
{
    public required string Id { get; init; }

    /// <summary>The platform's UniqueCallId.</summary>
    public required string CallId { get; init; }
    public string FromNumber { get; init; } = "";
    public string DialledNumber { get; init; } = "";
    public string? ContactId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary><see cref="CallOutcomes"/>; null while the call is in progress.</summary>
    public string? Outcome { get; init; }
    public string? OrderNumber { get; init; }

    /// <summary>PBX object login the call was transferred to.</summary>
    public string? TransferredTo { get; init; }
    public string? Card { get; init; }
}

public sealed record CreateCallRecordRequest
{
    public required string CallId { get; init; }

    /// <summary>Caller's number; the client normalises it to E.164.</summary>
    public required string FromNumber { get; init; }

    /// <summary>The number the caller dialled (platform ToNumber); the client normalises it to E.164.</summary>
    public required string DialledNumber { get; init; }
    public string? ContactId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public string? Card { get; init; }
}

/// <summary>Fields to set; null fields are left as they are.</summary>
public sealed record UpdateCallRecordRequest
{
    public string? ContactId { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Outcome { get; init; }
    public string? OrderNumber { get; init; }
    public string? TransferredTo { get; init; }
    public string? Card { get; init; }
}

public static class CallOutcomes
{
    public const string OrderPlaced = "order_placed";
    public const string OrderStatusGiven = "order_status_given";
    public const string Transferred = "transferred";
    public const string Abandoned = "abandoned";
    public const string Failed = "failed";
    public const string Other = "other";
}
