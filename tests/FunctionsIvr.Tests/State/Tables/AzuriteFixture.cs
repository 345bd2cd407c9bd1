using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>
/// The Azurite Table endpoint for tests: the one <c>scripts/test.sh</c> started (it exports
/// <c>FUNCTIONSIVR_TEST_AZURITE_TABLE_ENDPOINT</c>), or, when run from an IDE or a bare <c>dotnet test</c>, a
/// private in-memory <c>azurite-table</c> started here (see <see cref="AzuriteTableProcess"/>) and stopped on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EndpointVariable = "FUNCTIONSIVR_TEST_AZURITE_TABLE_ENDPOINT";

    private AzuriteTableProcess? _azurite;
    private Uri? _endpoint;

    /// <summary>e.g. <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("Azurite is not started.");

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=" + TableConnectionString.DevelopmentAccountName
        + ";AccountKey=" + TableConnectionString.DevelopmentAccountKey + ";TableEndpoint=" + Endpoint.AbsoluteUri.TrimEnd('/');

    public TableServiceClient CreateServiceClient(TableClientOptions? options = null) => new(ConnectionString, options ?? FastRetryOptions());

    /// <summary>Table names are per account; a unique one per test class keeps classes apart in one Azurite.</summary>
    public static string UniqueTableName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    public static TableClientOptions FastRetryOptions()
    {
        var options = new TableClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        return options;
    }

    public async Task InitializeAsync()
    {
        var fromScript = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrWhiteSpace(fromScript))
        {
            _endpoint = new Uri(fromScript);
            await AzuriteTableProcess.WaitForPortAsync(_endpoint.Port, () => $"({EndpointVariable}={fromScript})");
            return;
        }

        _azurite = await AzuriteTableProcess.StartAsync();
        _endpoint = _azurite.Endpoint;
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null) await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
