using System.Runtime.CompilerServices;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Erp;

/// <summary>
/// Puts the API key and/or the Entra ID bearer token on each request. Tokens are cached until five minutes before
/// they expire, so only the first call of an instance (and one an hour) waits for the identity endpoint. A token handed
/// over with less than that left (an upstream cache's) is kept for half of what it has left, not fetched again on
/// every call.
/// </summary>
public sealed class ErpAuthentication
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>How long one fetch from the identity endpoint may take, whoever waits for it.</summary>
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    private readonly ErpClientOptions _options;
    private readonly TokenCredential? _credential;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    // Boxed, so a reader never sees half of a token written by another thread.
    private volatile StrongBox<CachedToken>? _tokenBox;
    private Task<AccessToken>? _fetch;

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
    /// <remarks>
    /// The caller's deadline ends only its own wait: the fetch goes on for the next call. On a cold instance the identity
    /// endpoint may answer after the first callback's deadline, and a fetch cancelled with each callback would start over
    /// on every one and never finish.
    /// </remarks>
    internal async ValueTask<string?> GetBearerTokenAsync(CancellationToken cancellationToken)
    {
        if (_credential is null) return null;
        if (_tokenBox is { } cached && IsFresh(cached.Value)) return cached.Value.Token.Token;

        Task<AccessToken> fetch;
        lock (_gate)
        {
            if (_tokenBox is { } fetched && IsFresh(fetched.Value)) return fetched.Value.Token.Token;
            // One fetch at a time; a failed or finished one is replaced by a new one.
            if (_fetch is null || _fetch.IsCompleted) _fetch = FetchAsync();
            fetch = _fetch;
        }

        try
        {
            return (await fetch.WaitAsync(cancellationToken)).Token;
        }
        catch (AuthenticationFailedException e)
        {
            Log.TokenFailed(_logger, _options.Scope!, e);
            throw new ErpException(ErpErrorKind.Unauthorized, "No access token for the ERP scope " + _options.Scope + ".", innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The fetch's own limit, not the caller's deadline: the identity endpoint did not answer.
            Log.TokenFailed(_logger, _options.Scope!, e);
            throw new ErpException(ErpErrorKind.Unavailable, $"The identity endpoint gave no token for the ERP scope {_options.Scope} within {FetchTimeout.TotalSeconds:0} s.", innerException: e);
        }
    }

    private async Task<AccessToken> FetchAsync()
    {
        using var limit = new CancellationTokenSource(FetchTimeout, _timeProvider);
        var token = await _credential!.GetTokenAsync(new TokenRequestContext([_options.Scope!]), limit.Token).ConfigureAwait(false);
        var left = token.ExpiresOn - _timeProvider.GetUtcNow();
        var refreshAt = left > 2 * RefreshMargin ? token.ExpiresOn - RefreshMargin
            : left > TimeSpan.Zero ? token.ExpiresOn - left / 2
            : token.ExpiresOn; // expired already: used by this call, fetched again by the next
        _tokenBox = new StrongBox<CachedToken>(new CachedToken(token, refreshAt));
        return token;
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

    private bool IsFresh(CachedToken cached) => cached.Token.Token is not null && cached.RefreshAt > _timeProvider.GetUtcNow();

    private readonly record struct CachedToken(AccessToken Token, DateTimeOffset RefreshAt);
}
