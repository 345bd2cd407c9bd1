using System.Text.Json;
using System.Text.Json.Serialization;

namespace FunctionsIvr.Erp;

/// <summary>An RFC 9457 problem document as the ERP sent it (<c>application/problem+json</c>).</summary>
public sealed record ErpProblem
{
    /// <summary>A URI naming the kind of problem, e.g. <c>urn:functionsivr:erp:insufficient-stock</c>; <c>about:blank</c> when only the status matters.</summary>
    public string Type { get; init; } = "about:blank";
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }

    /// <summary>Extension members (e.g. <c>productCode</c>, <c>available</c>).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Extensions { get; init; }
}

/// <summary>The problem types the contract defines (<c>type</c> member).</summary>
public static class ErpProblemTypes
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
