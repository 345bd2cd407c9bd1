namespace FunctionsIvr.DemoErp.Data;

/// <summary>A business "no" from the store; the API turns it into an RFC 9457 problem response.</summary>
public sealed class ProblemException : Exception
{
    public ProblemException()
        : this(500, ProblemTypes.Unavailable, "Error", "")
    {
    }

    public ProblemException(string message)
        : this(500, ProblemTypes.Unavailable, "Error", message)
    {
    }

    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Type = ProblemTypes.Unavailable;
        Title = "Error";
    }

    public ProblemException(int status, string type, string title, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(detail)
    {
        Status = status;
        Type = type;
        Title = title;
        Extensions = extensions ?? new Dictionary<string, object?>();
    }

    public int Status { get; }
    public string Type { get; }
    public string Title { get; }
    public IReadOnlyDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public static ProblemException Validation(string detail, string? field = null) =>
        new(400, ProblemTypes.Validation, "The request is not valid.", detail,
            field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemException NotFound(string what, string id) =>
        new(404, ProblemTypes.NotFound, what + " not found.", $"No {what.ToLowerInvariant()} with id '{id}'.");
}

/// <summary>The contract's problem types (the <c>type</c> member).</summary>
public static class ProblemTypes
{
    public const string Validation = "urn:functionsivr:erp:validation";
    public const string Unauthorized = "urn:functionsivr:erp:unauthorized";
    public const string NotFound = "urn:functionsivr:erp:not-found";
    public const string UnknownContact = "urn:functionsivr:erp:unknown-contact";
    public const string UnknownProduct = "urn:functionsivr:erp:unknown-product";
    public const string ContactBlocked = "urn:functionsivr:erp:contact-blocked";
    public const string InsufficientStock = "urn:functionsivr:erp:insufficient-stock";
    public const string OrderNotChangeable = "urn:functionsivr:erp:order-not-changeable";
    public const string TransactionExpired = "urn:functionsivr:erp:transaction-expired";
    public const string TransactionAborted = "urn:functionsivr:erp:transaction-aborted";
    public const string TransactionCommitted = "urn:functionsivr:erp:transaction-committed";
    public const string IdempotencyKeyReused = "urn:functionsivr:erp:idempotency-key-reused";
    public const string Unavailable = "urn:functionsivr:erp:unavailable";
}
