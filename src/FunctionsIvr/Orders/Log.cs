using FunctionsIvr.State;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Orders;

/// <summary>Order placement and commit log lines. Ids are passed masked (<see cref="Hosting.Redact"/>).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Transaction {TransactionId} prepared for call {CallId}, order {OrderNumber}, expires {ExpiresAt:o}; in the outbox")]
    public static partial void Prepared(ILogger logger, string transactionId, string callId, string orderNumber, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Transaction {TransactionId} is already in the outbox ({Status}): the same basket placed again")]
    public static partial void AlreadyPrepared(ILogger logger, string transactionId, OutboxStatus status);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Transaction {TransactionId}: the commit message could not be sent; it stays Prepared for the sweep")]
    public static partial void SendFailed(ILogger logger, Exception exception, string transactionId);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Transaction {TransactionId}: the outbox status could not be recorded ({Status}); the sweep will see it")]
    public static partial void StatusNotRecorded(ILogger logger, Exception exception, string transactionId, int status);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Transaction {TransactionId} withdrawn for call {CallId}: the caller heard the apology, not that the order was accepted")]
    public static partial void Withdrawn(ILogger logger, string transactionId, string callId);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Transaction {TransactionId} of call {CallId} was committed before it could be withdrawn: the order stands though the caller heard the apology")]
    public static partial void WithdrawnTooLate(ILogger logger, string transactionId, string callId);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Transaction {TransactionId} of call {CallId} could not be withdrawn: if its outbox entry is still open the order gets committed though the caller heard the apology (worth a call back); an ERP reservation left behind expires")]
    public static partial void WithdrawFailed(ILogger logger, Exception exception, string transactionId, string callId);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "Transaction {TransactionId} of call {CallId} was placed again but is already {Status}: not accepted, the caller hears 'try later'")]
    public static partial void PlacedAgainButClosed(ILogger logger, string transactionId, string callId, OutboxStatus status);

    [LoggerMessage(EventId = 7029, Level = LogLevel.Warning, Message = "Transaction {TransactionId} of call {CallId}: the ERP answered the prepare with a reservation {Reason}: not accepted, the caller hears 'try later'")]
    public static partial void PreparedAlreadyGone(ILogger logger, string transactionId, string callId, string reason);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Transaction {TransactionId} committed as order {OrderNumber} (delivery {DeliveryCount})")]
    public static partial void Committed(ILogger logger, string transactionId, string orderNumber, int deliveryCount);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Transaction {TransactionId} is already committed; the duplicate is done")]
    public static partial void AlreadyCommitted(ILogger logger, string transactionId);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Information, Message = "Transaction {TransactionId} is already closed ({Status}); nothing to commit")]
    public static partial void AlreadyClosed(ILogger logger, string transactionId, OutboxStatus status);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Warning, Message = "Transaction {TransactionId} has no outbox entry; committing from the message alone")]
    public static partial void NoOutboxEntry(ILogger logger, string transactionId);

    [LoggerMessage(EventId = 7014, Level = LogLevel.Warning, Message = "Transaction {TransactionId}: commit failed transiently ({Kind}) on delivery {DeliveryCount}; it will be redelivered")]
    public static partial void CommitTransient(ILogger logger, string transactionId, int deliveryCount, Erp.ErpErrorKind kind);

    [LoggerMessage(EventId = 7015, Level = LogLevel.Error, Message = "Transaction {TransactionId} (order {OrderNumber}) cannot be committed; marked Failed and escalated as {EscalationId}")]
    public static partial void CommitFailed(ILogger logger, string transactionId, string orderNumber, string escalationId);

    [LoggerMessage(EventId = 7016, Level = LogLevel.Error, Message = "Message {MessageId} on order-commits (delivery {DeliveryCount}) is malformed and can never be committed: {Reason}")]
    public static partial void MalformedCommit(ILogger logger, string messageId, int deliveryCount, string reason);

    [LoggerMessage(EventId = 7017, Level = LogLevel.Warning, Message = "Transaction {TransactionId}: the outbox cannot be read (status {Status}); committing from the message, the sweep records it")]
    public static partial void OutboxUnreadable(ILogger logger, Exception exception, string transactionId, int status);

    [LoggerMessage(EventId = 7018, Level = LogLevel.Warning, Message = "Transaction {TransactionId} is committed but the outbox could not record it (status {Status}); the sweep will")]
    public static partial void CommittedNotRecorded(ILogger logger, Exception exception, string transactionId, int status);

    [LoggerMessage(EventId = 7019, Level = LogLevel.Warning, Message = "Transaction {TransactionId}: the ERP refused the commit and the outbox cannot be read again (status {Status}); escalating with the entry read before")]
    public static partial void OutboxUnreadableBeforeEscalating(ILogger logger, Exception exception, string transactionId, int status);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Sweep: transaction {TransactionId} re-sent (send #{SendAttempts})")]
    public static partial void Resent(ILogger logger, string transactionId, int sendAttempts);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Warning, Message = "Sweep: transaction {TransactionId} could not be re-sent (send #{SendAttempts}); next pass tries again")]
    public static partial void ResendFailed(ILogger logger, Exception exception, string transactionId, int sendAttempts);

    [LoggerMessage(EventId = 7022, Level = LogLevel.Error, Message = "Sweep: transaction {TransactionId} (order {OrderNumber}) expired uncommitted; aborted and escalated")]
    public static partial void Expired(ILogger logger, string transactionId, string orderNumber);

    [LoggerMessage(EventId = 7031, Level = LogLevel.Warning,
        Message = "Sweep: transaction {TransactionId} of call {CallId} withdrawn: its turn {Turn} was given up on (the caller heard the apology) while the placement could not withdraw it")]
    public static partial void WithdrawnGivenUp(ILogger logger, string transactionId, string callId, int turn);

    [LoggerMessage(EventId = 7032, Level = LogLevel.Warning,
        Message = "Sweep: the decision of turn {Turn} for transaction {TransactionId} could not be read from the call state (status {Status}); {Outcome}")]
    public static partial void DecisionUnreadable(ILogger logger, Exception exception, string transactionId, int turn, int? status, string outcome);

    [LoggerMessage(EventId = 7023, Level = LogLevel.Information, Message = "Sweep: transaction {TransactionId} turned out committed in the ERP")]
    public static partial void FoundCommitted(ILogger logger, string transactionId);

    [LoggerMessage(EventId = 7024, Level = LogLevel.Warning, Message = "Sweep: transaction {TransactionId} ({Status}) failed this pass; next pass tries again")]
    public static partial void SweepEntryFailed(ILogger logger, Exception exception, string transactionId, OutboxStatus status);

    [LoggerMessage(EventId = 7025, Level = LogLevel.Information, Message = "Sweep: {Open} open entries; {Resent} re-sent, {Recommitted} commits run by the sweep, {Aborted} aborted, {Committed} found committed, {Skipped} failed this pass")]
    public static partial void Swept(ILogger logger, int open, int resent, int recommitted, int aborted, int committed, int skipped);

    [LoggerMessage(EventId = 7026, Level = LogLevel.Warning, Message = "Sweep: transaction {TransactionId} was queued at {QueuedAt:u}, before the in-process work queue started at {QueueStartedAt:u}; its commit message was lost with the restart and is re-sent (send #{SendAttempts})")]
    public static partial void ResentLostInRestart(ILogger logger, string transactionId, DateTimeOffset queuedAt, DateTimeOffset queueStartedAt, int sendAttempts);

    [LoggerMessage(EventId = 7027, Level = LogLevel.Warning, Message = "Sweep: transaction {TransactionId} queued at {QueuedAt:u} is still not committed after {IdleMinutes:0} min (its message ran out of deliveries or is stuck); the sweep commits it itself")]
    public static partial void Recommitting(ILogger logger, string transactionId, DateTimeOffset queuedAt, double idleMinutes);

    [LoggerMessage(EventId = 7028, Level = LogLevel.Warning, Message = "The ERP refused the commit of transaction {TransactionId} while the outbox could not be read (delivery #{DeliveryCount}): a withdrawal may have closed it, so no 'place it again' escalation; the message is delivered again, and the sweep decides once storage is back")]
    public static partial void RefusedWhileOutboxUnreadable(ILogger logger, string transactionId, int deliveryCount);

    [LoggerMessage(EventId = 7030, Level = LogLevel.Warning, Message = "The ERP's clock is {AheadSeconds:0} s ahead of ours (negative: behind), by the Date header of its prepare answer: its reservations' expiry is judged on its clock, but its owner should set it right (NTP); said again at most every {EveryMinutes:0} min")]
    public static partial void ErpClockSkewed(ILogger logger, double aheadSeconds, double everyMinutes);
}
