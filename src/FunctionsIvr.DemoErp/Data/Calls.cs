namespace FunctionsIvr.DemoErp.Data;

public sealed record CallRecord
{
    public required string Id { get; init; }
    public required string CallId { get; init; }
    public required string FromNumber { get; init; }
    public required string DialledNumber { get; init; }
    public string? ContactId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? Outcome { get; init; }
    public string? OrderNumber { get; init; }
    public string? TransferredTo { get; init; }
    public string? Card { get; init; }
}

public sealed record CreateCallRecordRequest(string? CallId, string? FromNumber, string? DialledNumber, string? ContactId, DateTimeOffset? StartedAt, string? Card);

public sealed record UpdateCallRecordRequest(
    string? ContactId, DateTimeOffset? EndedAt, string? Outcome, string? OrderNumber, string? TransferredTo, string? Card);
