namespace FunctionsIvr.Work;

/// <summary>
/// Service Bus dead-letter reasons, and the application properties Service Bus stamps on a dead-lettered message
/// (a dead-letter queue processor reads the reason from there).
/// </summary>
public static class DeadLetterReasons
{
    public const string MaxDeliveryCountExceeded = "MaxDeliveryCountExceeded";
    public const string TtlExpired = "TTLExpiredException";

    public const string ReasonProperty = "DeadLetterReason";
    public const string ErrorDescriptionProperty = "DeadLetterErrorDescription";
}
