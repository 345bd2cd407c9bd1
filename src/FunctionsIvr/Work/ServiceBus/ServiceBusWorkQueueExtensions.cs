using FunctionsIvr.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace FunctionsIvr.Work.ServiceBus;

public static class ServiceBusWorkQueueExtensions
{
    /// <summary>The connection name, shared with the triggers' <c>connection</c> in function.json.</summary>
    public const string ConnectionName = "ServiceBusConnection";

    /// <summary>
    /// Registers <see cref="IWorkQueue"/> on Service Bus when <c>ServiceBusConnection</c> (a connection string, also
    /// read from <c>ConnectionStrings:ServiceBusConnection</c>) or <c>ServiceBusConnection__fullyQualifiedNamespace</c>
    /// (+ optional <c>__clientId</c>, managed identity) is configured. Returns false and registers nothing
    /// otherwise, so the caller can fall back to the in-process queue. A malformed setting fails here, at startup.
    /// </summary>
    public static bool AddServiceBusWorkQueue(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var connectionString = configuration[ConnectionName] is { Length: > 0 } value ? value : configuration.GetConnectionString(ConnectionName);
        var section = configuration.GetSection(ConnectionName);
        var fullyQualifiedNamespace = section["fullyQualifiedNamespace"];

        Func<IServiceProvider, ServiceBusRestClient> factory;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                ServiceBusConnectionStringProperties.Parse(connectionString);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"Setting '{ConnectionName}' is not a valid Service Bus connection string: {e.Message}", e);
            }

            factory = services => new ServiceBusRestClient(connectionString, Options(services));
        }
        else if (!string.IsNullOrWhiteSpace(fullyQualifiedNamespace))
        {
            var clientId = section["clientId"];
            factory = services => new ServiceBusRestClient(fullyQualifiedNamespace, AzureCredentials.Create(clientId), Options(services));
        }
        else
        {
            return false;
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(factory);
        builder.Services.AddSingleton<ServiceBusWorkQueue>();
        builder.Services.AddSingleton<IWorkQueue>(services => services.GetRequiredService<ServiceBusWorkQueue>());
        return true;
    }

    private static ServiceBusClientOptions Options(IServiceProvider services) =>
        new() { TimeProvider = services.GetRequiredService<TimeProvider>() };
}
