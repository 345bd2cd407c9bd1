using Microsoft.Extensions.Options;

namespace FunctionsIvr.Erp;

/// <summary>Checked at start-up, so a missing setting stops the app with its name instead of failing the first call.</summary>
public sealed class ErpClientOptionsValidator : IValidateOptions<ErpClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ErpClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.BaseUrl is null)
        {
            errors.Add("Erp:BaseUrl is required (env Erp__BaseUrl): the root URL of the ERP middleware, e.g. http://127.0.0.1:5081 for the DemoErp.");
        }
        else if (!options.BaseUrl.IsAbsoluteUri || options.BaseUrl.Scheme is not ("http" or "https"))
        {
            errors.Add("Erp:BaseUrl (env Erp__BaseUrl) must be an absolute http(s) URL.");
        }

        if (options.ReadTimeoutMs <= 0) errors.Add("Erp:ReadTimeoutMs (env Erp__ReadTimeoutMs) must be positive.");
        if (options.WriteTimeoutMs <= 0) errors.Add("Erp:WriteTimeoutMs (env Erp__WriteTimeoutMs) must be positive.");
        if (options.ReadRetries < 0 || options.WriteRetries < 0) errors.Add("Erp:ReadRetries and Erp:WriteRetries must not be negative.");
        if (options.ContactCacheSeconds < 0 || options.ProductCacheSeconds < 0)
        {
            errors.Add("Erp:ContactCacheSeconds and Erp:ProductCacheSeconds must not be negative (0 turns the cache off).");
        }

        if (!string.IsNullOrEmpty(options.ApiKey) && string.IsNullOrWhiteSpace(options.ApiKeyHeader))
        {
            errors.Add("Erp:ApiKeyHeader (env Erp__ApiKeyHeader) must name a header when Erp:ApiKey is set.");
        }

        var breaker = options.CircuitBreaker;
        if (breaker.FailureRatio is <= 0 or > 1)
        {
            errors.Add("Erp:CircuitBreaker:FailureRatio (env Erp__CircuitBreaker__FailureRatio) must be in (0, 1].");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
