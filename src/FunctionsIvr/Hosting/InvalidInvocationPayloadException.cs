namespace FunctionsIvr.Hosting;

/// <summary>The Functions host's invocation payload could not be read (not JSON, wrong shape, binding missing).</summary>
public sealed class InvalidInvocationPayloadException : FormatException
{
    public InvalidInvocationPayloadException()
    {
    }

    public InvalidInvocationPayloadException(string message) : base(message)
    {
    }

    public InvalidInvocationPayloadException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
