namespace FunctionsIvr.Simulator.Platform;

/// <summary>
/// What happened on the line while the last action ran: the digits the caller typed (empty = timeout), the outcome
/// of a dial attempt, and whether the platform reports an <see cref="PlatformError"/> with the next callback.
/// </summary>
public sealed record CallInput(string? Digits = null, string? Status = null, PlatformError? Error = null)
{
    public static readonly CallInput None = new();

    public static CallInput Dtmf(string digits) => new(Digits: digits);

    public static CallInput Timeout() => new(Digits: "");

    public static CallInput CallStatus(string status, PlatformError? error = null) => new(Status: status, Error: error);
}
