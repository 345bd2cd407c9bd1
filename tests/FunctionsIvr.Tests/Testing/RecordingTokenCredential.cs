using Azure.Core;

namespace FunctionsIvr.Tests.Testing;

/// <summary>A TokenCredential that hands out a fixed token and remembers which scopes were asked for.</summary>
public sealed class RecordingTokenCredential(string token) : TokenCredential
{
    private readonly List<string[]> _requestedScopes = [];

    public IReadOnlyList<string[]> RequestedScopes
    {
        get
        {
            lock (_requestedScopes) return _requestedScopes.ToList();
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_requestedScopes) _requestedScopes.Add(requestContext.Scopes);
        return new AccessToken(token, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
