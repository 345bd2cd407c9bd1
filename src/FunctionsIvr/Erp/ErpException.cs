namespace FunctionsIvr.Erp;

/// <summary>
/// The only exception <see cref="ErpClient"/> throws for a failed call, so a flow catches one type and picks a
/// safe path by <see cref="Kind"/>. A call cut by the caller's deadline token is a <see cref="ErpErrorKind.Timeout"/> too.
/// </summary>
public sealed class ErpException : Exception
{
    public ErpException()
        : this(ErpErrorKind.Unavailable, "The ERP call failed.")
    {
    }

    public ErpException(string message)
        : this(ErpErrorKind.Unavailable, message)
    {
    }

    public ErpException(string message, Exception innerException)
        : this(ErpErrorKind.Unavailable, message, innerException: innerException)
    {
    }

    public ErpException(ErpErrorKind kind, string message, int? status = null, ErpProblem? problem = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Status = status;
        Problem = problem;
    }

    public ErpErrorKind Kind { get; }

    /// <summary>The HTTP status the ERP answered, if it answered.</summary>
    public int? Status { get; }

    /// <summary>The ERP's RFC 9457 problem document, if it sent one.</summary>
    public ErpProblem? Problem { get; }

    /// <summary>True when trying again later may succeed (the flow may offer a callback or a holding prompt).</summary>
    public bool IsTransient => Kind is ErpErrorKind.Timeout or ErpErrorKind.Unavailable or ErpErrorKind.CircuitOpen;
}
