using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FunctionsIvr.Tests.State.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class AzureStateStorageExtensionsTests(AzuriteFixture azurite)
{
    [Fact]
    public void AddAzureStateStorage_NothingConfigured_ReturnsFalseAndRegistersNothing()
    {
        var builder = Builder([]);

        Assert.False(builder.AddAzureStateStorage());
        Assert.DoesNotContain(builder.Services, s => s.ServiceType == typeof(ICallStateStore) || s.ServiceType == typeof(ICallLog) || s.ServiceType == typeof(IOutboxStore));
    }

    [Fact]
    public async Task AddAzureStateStorage_ConnectionString_RegistersWorkingTableStores()
    {
        var builder = Builder(new() { ["StateStorage"] = azurite.ConnectionString });

        Assert.True(builder.AddAzureStateStorage());
        await using var services = builder.Services.BuildServiceProvider();
        var store = services.GetRequiredService<ICallStateStore>();
        Assert.IsType<TableCallStateStore>(store);
        Assert.IsType<TableCallLog>(services.GetRequiredService<ICallLog>());
        Assert.IsType<TableOutboxStore>(services.GetRequiredService<IOutboxStore>());
        Assert.IsType<TableStatePurge>(services.GetRequiredService<IStatePurge>());

        var callId = "di-" + Guid.NewGuid().ToString("N");
        await store.SaveAsync(new CallState(callId) { Values = { ["k"] = "v" } });
        Assert.Equal("v", (await store.GetAsync(callId))!.Values["k"]);
    }

    [Fact]
    public void AddAzureStateStorage_DevelopmentStorage_PointsAtTheEmulatorDefaults()
    {
        var builder = Builder(new() { ["ConnectionStrings:StateStorage"] = "UseDevelopmentStorage=true" });

        Assert.True(builder.AddAzureStateStorage());
        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), services.GetRequiredService<TableServiceClient>().Uri);
    }

    [Fact]
    public void AddAzureStateStorage_TableServiceUri_RegistersIdentityBasedClient()
    {
        var builder = Builder(new()
        {
            ["StateStorage:tableServiceUri"] = "https://ivrstate.table.core.windows.net",
            ["StateStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.True(builder.AddAzureStateStorage());
        using var services = builder.Services.BuildServiceProvider();
        var client = services.GetRequiredService<TableServiceClient>();
        Assert.Equal("ivrstate", client.AccountName);
        Assert.IsType<TableOutboxStore>(services.GetRequiredService<IOutboxStore>());
    }

    [Theory]
    [InlineData("StateStorage", "AccountName=a")]
    [InlineData("StateStorage:tableServiceUri", "http://ivrstate.table.core.windows.net")]
    public void AddAzureStateStorage_Malformed_FailsAtStartupNamingTheSetting(string key, string value)
    {
        var builder = Builder(new() { [key] = value });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddAzureStateStorage());

        Assert.Contains("StateStorage", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StateStorage:clientId", "00000000-0000-0000-0000-000000000001")]
    [InlineData("StateStorage:accountName", "ivrstate")]
    [InlineData("StateStorage:tableserviceurl", "https://ivrstate.table.core.windows.net")]
    public void AddAzureStateStorage_IdentitySettingWithoutTableServiceUri_FailsAtStartupInsteadOfKeepingStateInMemory(string key, string value)
    {
        var builder = Builder(new() { [key] = value });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddAzureStateStorage());

        Assert.Contains("StateStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(builder.Services, s => s.ServiceType == typeof(ICallStateStore));
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        return builder;
    }
}
