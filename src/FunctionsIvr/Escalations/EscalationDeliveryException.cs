namespace FunctionsIvr.Escalations;

/// <summary>
/// A channel could not deliver. <see cref="IsTransient"/>: a later attempt may work (timeout, 5xx, 429, SMTP 4xx,
/// nothing listening), so the queue should redeliver; otherwise it never will as sent (rejected request, unknown
/// recipient, bad credentials) and the dispatcher falls back to another channel.
/// </summary>
public sealed class EscalationDeliveryException : Exception
{
    public EscalationDeliveryException(EscalationChannel channel, bool isTransient, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Channel = channel;
        IsTransient = isTransient;
    }

    public EscalationChannel Channel { get; }
    public bool IsTransient { get; }

    /// <summary>The HTTP or SMTP status code, when there was one.</summary>
    public int? StatusCode { get; init; }
}
