using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Erp;

/// <summary>
/// Puts the API key and/or the Entra ID bearer token on each request. Tokens are cached until five minutes before
/// they expire, so only the first call of an instance (and one an hour) waits for the identity endpoint.
/// </summary>
public sealed class ErpAuthentication
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly ErpClientOptions _options;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _tokenLock = new(1, 1);
    private AccessToken _token;

    /// <param name="credential">Used when <see cref="ErpClientOptions.Scope"/> is set; <c>DefaultAzureCredential</c> when null.</param>
    public ErpAuthentication(ErpClientOptions options, TokenCredential? credential = null, TimeProvider? timeProvider = null, ILogger<ErpAuthentication>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _credential = string.IsNullOrWhiteSpace(options.Scope) ? null : credential ?? CreateDefaultCredential(options);
    }

    public static TokenCredential CreateDefaultCredential(ErpClientOptions options) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            // Left null, DefaultAzureCredential reads AZURE_CLIENT_ID itself.
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.ClientId) ? null : options.ClientId,
        });

    /// <summary>The bearer token to send, or null when no scope is configured. Called once per ERP call, before its attempts.</summary>
    internal async ValueTask<string?> GetBearerTokenAsync(CancellationToken cancellationToken)
    {
        if (_credential is null) return null;
        if (IsFresh(_token)) return _token.Token;

        await _tokenLock.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh(_token)) return _token.Token;
            var scope = _options.Scope!;
            try
            {
                _token = await _credential!.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken);
            }
            catch (AuthenticationFailedException e)
            {
                Log.TokenFailed(_logger, scope, e);
                throw new ErpException(ErpErrorKind.Unauthorized, "No access token for the ERP scope " + scope + ".", innerException: e);
            }
            return _token.Token;
        }
        finally
        {
            _tokenLock.Release();
        }
    }

    internal void Apply(HttpRequestMessage request, string? bearerToken)
    {
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.TryAddWithoutValidation(_options.ApiKeyHeader, _options.ApiKey);
        }

        if (bearerToken is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }
    }

    private bool IsFresh(AccessToken token) =>
        token.Token is not null && token.ExpiresOn - RefreshMargin > _timeProvider.GetUtcNow();
}
