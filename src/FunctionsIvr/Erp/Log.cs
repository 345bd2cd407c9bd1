using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Erp;

/// <summary>ERP client log lines (EventIds 3000-3099). Routes are templates, so no id or number reaches a log unmasked.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug,
        Message = "ERP {Method} {Route} answered {Status} in {ElapsedMs:0} ms ({Attempts} attempt(s))")]
    public static partial void CallSucceeded(ILogger logger, string method, string route, int status, double elapsedMs, int attempts);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning,
        Message = "ERP {Method} {Route} failed: {Kind} (status {Status}) in {ElapsedMs:0} ms ({Attempts} attempt(s))")]
    public static partial void CallFailed(ILogger logger, string method, string route, ErpErrorKind kind, int? status, double elapsedMs, int attempts);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information,
        Message = "ERP {Method} {Route} cut off by the app shutting down after {ElapsedMs:0} ms ({Attempts} attempt(s))")]
    public static partial void CallCutOffByShutdown(ILogger logger, string method, string route, double elapsedMs, int attempts);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information,
        Message = "ERP {Method} {Route} attempt {Attempt} failed ({Outcome}); retrying in {DelayMs:0} ms")]
    public static partial void Retrying(ILogger logger, string method, string route, int attempt, string outcome, double delayMs);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning,
        Message = "ERP circuit opened for {BreakSeconds:0} s after {Outcome}; calls fail fast until then")]
    public static partial void CircuitOpened(ILogger logger, double breakSeconds, string outcome);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "ERP circuit half-open: letting one trial call through")]
    public static partial void CircuitHalfOpened(ILogger logger);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "ERP circuit closed: calls flow again")]
    public static partial void CircuitClosed(ILogger logger);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "ERP contact lookup for {Phone}: {Result}")]
    public static partial void ContactLookup(ILogger logger, string phone, string result);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information,
        Message = "ERP transaction {TransactionId} {Status} (order {OrderNumber})")]
    public static partial void TransactionChanged(ILogger logger, string transactionId, string status, string orderNumber);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "ERP access token for scope {Scope} could not be obtained")]
    public static partial void TokenFailed(ILogger logger, string scope, Exception exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "ERP list {List} repeated entries: {Count} copies dropped, each entry is read out once")]
    public static partial void RepeatedEntriesDropped(ILogger logger, string list, int count);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning,
        Message = "ERP contacts: {Count} contacts call from {Phone}; the caller is served as a guest (give each contact a number of their own)")]
    public static partial void SharedNumber(ILogger logger, string phone, int count);
}
