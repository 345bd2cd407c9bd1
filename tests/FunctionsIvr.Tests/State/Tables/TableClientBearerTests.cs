using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>Entra ID auth end to end: Azure.Core's bearer policy, over TLS, against Azurite's OAuth check.</summary>
public sealed class TableClientBearerTests(AzuriteOAuthFixture azurite) : IClassFixture<AzuriteOAuthFixture>
{
    [Fact]
    public async Task TokenCredential_TokenForTheRequestedScope_IsAcceptedForEveryOperation()
    {
        var credential = new AudienceFromScopeCredential();
        var table = new TableServiceClient(azurite.Endpoint, credential, Options()).GetTableClient(AzuriteFixture.UniqueTableName("bearer"));

        await table.CreateIfNotExistsAsync();
        var entity = new TableEntity("p", "r") { ["V"] = 1 };
        await table.AddEntityAsync(entity);
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
        var rows = await table.QueryAsync<TableEntity>().ToListAsync();
        await table.DeleteAsync();

        Assert.Equal("r", Assert.Single(rows).RowKey);
        Assert.Equal("https://storage.azure.com/.default", credential.RequestedScopes.Distinct().Single());
    }

    [Fact]
    public async Task TokenCredential_TokenForAnotherAudience_IsRefusedByTheService()
    {
        var credential = new AudienceFromScopeCredential(fixedAudience: "https://management.azure.com");
        var table = new TableServiceClient(azurite.Endpoint, credential, Options()).GetTableClient(AzuriteFixture.UniqueTableName("bearer"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
    }

    private TableClientOptions Options()
    {
        var options = AzuriteFixture.FastRetryOptions();
        options.Transport = azurite.CreateTransport();
        return options;
    }

    /// <summary>
    /// Issues an unsigned JWT whose audience is the scope asked for (minus <c>/.default</c>), as Entra ID would,
    /// so the service's audience check tests the scope the client requested.
    /// </summary>
    private sealed class AudienceFromScopeCredential(string? fixedAudience = null) : TokenCredential
    {
        private readonly List<string> _scopes = [];

        public IReadOnlyList<string> RequestedScopes
        {
            get
            {
                lock (_scopes) return _scopes.ToList();
            }
        }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var scope = Assert.Single(requestContext.Scopes);
            lock (_scopes) _scopes.Add(scope);
            var now = TimeProvider.System.GetUtcNow();
            var audience = fixedAudience ?? scope[..scope.LastIndexOf("/.default", StringComparison.Ordinal)];
            var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
            var payload = Base64Url(JsonSerializer.Serialize(new
            {
                aud = audience,
                iss = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
                iat = now.AddMinutes(-1).ToUnixTimeSeconds(),
                nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
                exp = now.AddHours(1).ToUnixTimeSeconds(),
            }));
            return new AccessToken($"{header}.{payload}.", now.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
