using FunctionsIvr.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.State.Tables;

public static class AzureStateStorageExtensions
{
    public const string ConnectionName = "StateStorage";

    /// <summary>
    /// Registers the Table Storage <see cref="ICallStateStore"/>, <see cref="ICallLog"/>, <see cref="IOutboxStore"/>,
    /// <see cref="IUnsentWorkStore"/> and retention purge (<see cref="IStatePurge"/>)
    /// when <c>StateStorage</c> (a connection string such as <c>UseDevelopmentStorage=true</c>, also read from
    /// <c>ConnectionStrings:StateStorage</c>) or <c>StateStorage__tableServiceUri</c> (+ optional <c>__clientId</c>,
    /// managed identity) is configured. Returns false and registers nothing otherwise, so the caller can fall back
    /// to the in-memory stores. A malformed setting fails here, at startup, naming the setting.
    /// </summary>
    public static bool AddAzureStateStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var connectionString = configuration[ConnectionName] is { Length: > 0 } value ? value : configuration.GetConnectionString(ConnectionName);
        var section = configuration.GetSection(ConnectionName);
        var serviceUri = section["tableServiceUri"];

        Func<IServiceProvider, TableServiceClient> factory;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                TableConnectionString.Parse(connectionString);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new InvalidOperationException($"Setting '{ConnectionName}' is not a valid storage connection string: {e.Message}", e);
            }

            factory = services => new TableServiceClient(connectionString, Options(services));
        }
        else if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            if (!Uri.TryCreate(serviceUri, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException(
                    $"Setting '{ConnectionName}__tableServiceUri' must be an https URI such as https://<account>.table.core.windows.net.");
            }

            var clientId = section["clientId"];
            factory = services => new TableServiceClient(endpoint, AzureCredentials.Create(clientId), Options(services));
        }
        else if (section.GetChildren().Select(c => c.Key).ToList() is { Count: > 0 } others)
        {
            // Meant for Table Storage but not usable: falling back to memory would lose orders on a restart and split
            // a call's state between instances, with nothing to say so.
            throw new InvalidOperationException(
                $"Setting '{ConnectionName}' has {string.Join(", ", others.Select(k => $"{ConnectionName}__{k}"))} but neither a connection " +
                $"string nor '{ConnectionName}__tableServiceUri' (https://<account>.table.core.windows.net); set one, or remove these to keep the state in memory.");
        }
        else
        {
            return false;
        }

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(factory);
        services.AddSingleton<ICallStateStore>(s => new TableCallStateStore(
            s.GetRequiredService<TableServiceClient>(), s.GetRequiredService<TimeProvider>(), s.GetRequiredService<ILogger<TableCallStateStore>>()));
        services.AddSingleton<ICallLog>(s => new TableCallLog(
            s.GetRequiredService<TableServiceClient>(), s.GetRequiredService<ILogger<TableCallLog>>()));
        services.AddSingleton<IOutboxStore>(s => new TableOutboxStore(
            s.GetRequiredService<TableServiceClient>(), s.GetRequiredService<ILogger<TableOutboxStore>>()));
        services.AddSingleton<IUnsentWorkStore>(s => new TableUnsentWorkStore(
            s.GetRequiredService<TableServiceClient>(), s.GetRequiredService<ILogger<TableUnsentWorkStore>>()));
        services.AddSingleton<IStatePurge>(s => new TableStatePurge(
            s.GetRequiredService<TableServiceClient>(), s.GetRequiredService<ILogger<TableStatePurge>>()));
        return true;
    }

    private static TableClientOptions Options(IServiceProvider services)
    {
        var options = new TableClientOptions { TimeProvider = services.GetRequiredService<TimeProvider>() };
        options.Retry.NetworkTimeout = TableClientOptions.NetworkTimeout;
        return options;
    }
}
