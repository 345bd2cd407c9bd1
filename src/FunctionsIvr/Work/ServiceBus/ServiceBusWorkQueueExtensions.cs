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
            ServiceBusConnectionStringProperties properties;
            try
            {
                properties = ServiceBusConnectionStringProperties.Parse(connectionString);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"Setting '{ConnectionName}' is not a valid Service Bus connection string: {e.Message}", e);
            }

            // The app sends to several queues; a connection string scoped to one entity would fail the others at the first send.
            if (properties.EntityPath is not null)
            {
                throw new InvalidOperationException(
                    $"Setting '{ConnectionName}' names EntityPath '{properties.EntityPath}'; the app sends to several queues, so use the namespace's connection string (without EntityPath).");
            }

            factory = services => new ServiceBusRestClient(connectionString, Options(services));
        }
        else if (!string.IsNullOrWhiteSpace(fullyQualifiedNamespace))
        {
            // Checked here so a placeholder left in the settings fails at startup, not at the first order's send.
            if (Uri.CheckHostName(HostOf(fullyQualifiedNamespace)) == UriHostNameType.Unknown)
            {
                throw new InvalidOperationException(
                    $"Setting '{ConnectionName}__fullyQualifiedNamespace' must be a host name such as <namespace>.servicebus.windows.net, not '{fullyQualifiedNamespace}'.");
            }

            var clientId = section["clientId"];
            factory = services => new ServiceBusRestClient(fullyQualifiedNamespace, AzureCredentials.Create(clientId), Options(services));
        }
        else if (section.GetChildren().Select(c => c.Key).ToList() is { Count: > 0 } others)
        {
            // Meant for Service Bus but not usable: the in-process queue would take the work where the triggers never
            // see it and lose what it holds on a restart, with nothing to say so.
            throw new InvalidOperationException(
                $"Setting '{ConnectionName}' has {string.Join(", ", others.Select(k => $"{ConnectionName}__{k}"))} but neither a connection " +
                $"string nor '{ConnectionName}__fullyQualifiedNamespace' (<namespace>.servicebus.windows.net); set one, or remove these to use the in-process queue.");
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

    /// <summary>The host of <c>ns.servicebus.windows.net</c>, <c>ns.servicebus.windows.net:443</c> or <c>sb://ns.servicebus.windows.net/</c>.</summary>
    private static string HostOf(string fullyQualifiedNamespace)
    {
        var text = fullyQualifiedNamespace.Trim().TrimEnd('/');
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0) text = text[(schemeEnd + 3)..];
        var portStart = text.LastIndexOf(':');
        return portStart > 0 && !text.Contains(']', StringComparison.Ordinal) ? text[..portStart] : text;
    }

    private static ServiceBusClientOptions Options(IServiceProvider services)
    {
        var options = new ServiceBusClientOptions { TimeProvider = services.GetRequiredService<TimeProvider>() };
        options.Retry.NetworkTimeout = ServiceBusClientOptions.NetworkTimeout;
        return options;
    }
}
