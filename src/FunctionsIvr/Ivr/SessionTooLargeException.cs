namespace FunctionsIvr.Ivr;

/// <summary>An encoded Session over <c>Ivr:SessionMaxBytes</c>; the flow keeps too much in it. The engine answers with its fallback.</summary>
public sealed class SessionTooLargeException : Exception
{
    public SessionTooLargeException()
    {
    }

    public SessionTooLargeException(string message)
        : base(message)
    {
    }

    public SessionTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionTooLargeException(int sizeBytes, int maxBytes)
        : base($"The encoded Session is {sizeBytes} bytes; Ivr:SessionMaxBytes allows {maxBytes}. Keep large values in the call state store.")
    {
        SizeBytes = sizeBytes;
        MaxBytes = maxBytes;
    }

    public int SizeBytes { get; }

    public int MaxBytes { get; }
}
