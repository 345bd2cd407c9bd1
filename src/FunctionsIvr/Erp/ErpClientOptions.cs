namespace FunctionsIvr.Erp;

/// <summary>
/// How the app reaches the customer's ERP middleware (section <c>Erp</c>, env <c>Erp__BaseUrl</c>, ...).
/// Authentication: <see cref="ApiKey"/> sends a header, <see cref="Scope"/> sends an Entra ID bearer token;
/// both may be set (an API gateway key plus a token).
/// </summary>
public sealed class ErpClientOptions
{
    public const string SectionName = "Erp";

    /// <summary>Root of the middleware, e.g. <c>https://erp-gw.example.com/ivr/v1/</c>. Required.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent in <see cref="ApiKeyHeader"/> when set. A secret: Key Vault in Azure, never in the repo.</summary>
    public string? ApiKey { get; set; }

    public string ApiKeyHeader { get; set; } = "X-Api-Key";

    /// <summary>
    /// Entra ID scope, e.g. <c>api://erp-middleware/.default</c>. When set, each call carries a bearer token from
    /// <c>DefaultAzureCredential</c> (managed identity in Azure; <c>AZURE_CLIENT_ID</c> picks a user-assigned one).
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Client id of a user-assigned managed identity; overrides <c>AZURE_CLIENT_ID</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>Per-attempt limit of a read (GET) on the call path: the caller is waiting.</summary>
    public int ReadTimeoutMs { get; set; } = 800;

    /// <summary>Per-attempt limit of a write (POST, PATCH).</summary>
    public int WriteTimeoutMs { get; set; } = 3000;

    /// <summary>Retries of a GET after a transient failure (5xx, 408, 429, connection error). Never after our own timeout.</summary>
    public int ReadRetries { get; set; } = 1;

    /// <summary>Retries of a write that is safe to repeat (carries an idempotency key, or is idempotent by contract).</summary>
    public int WriteRetries { get; set; } = 2;

    /// <summary>Pause before a retry (jittered).</summary>
    public int RetryDelayMs { get; set; } = 100;

    /// <summary>
    /// How long who calls from a number (or that nobody does) is taken from memory instead of asking the ERP again;
    /// 0 asks every time. A change of a contact in the ERP reaches callers within this time.
    /// </summary>
    public int ContactCacheSeconds { get; set; } = 60;

    /// <summary>How long a product search (price, stock) is answered from memory; 0 asks every time.</summary>
    public int ProductCacheSeconds { get; set; } = 30;

    public ErpCircuitBreakerOptions CircuitBreaker { get; set; } = new();
}

/// <summary>When the ERP looks down, fail fast for a while instead of making every caller wait for a timeout.</summary>
public sealed class ErpCircuitBreakerOptions
{
    /// <summary>Share of failed attempts within <see cref="SamplingDurationSeconds"/> that opens the circuit.</summary>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in the window before the ratio counts.</summary>
    public int MinimumThroughput { get; set; } = 8;

    public int SamplingDurationSeconds { get; set; } = 30;

    /// <summary>How long the circuit stays open before one trial call is let through.</summary>
    public int BreakDurationSeconds { get; set; } = 15;
}
