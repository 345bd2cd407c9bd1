namespace FunctionsIvr.Work.InProcess;

/// <summary>
/// A message the in-process queue dead-lettered, kept so nothing fails silently: <see cref="QueueName"/> is the
/// queue it left (a dead-letter queue itself when its own processor gave up), <see cref="Reason"/> is the
/// Service Bus reason (<c>MaxDeliveryCountExceeded</c>, <c>TTLExpiredException</c>).
/// </summary>
public sealed record DeadLetter(
    string QueueName,
    WorkMessage Message,
    string Reason,
    string ErrorDescription,
    int DeliveryCount,
    DateTimeOffset DeadLetteredAt);
