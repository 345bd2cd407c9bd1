using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// A Service Bus namespace reached over HTTPS, shaped like Azure.Messaging.ServiceBus' <c>ServiceBusClient</c>:
/// build it once, <see cref="CreateSender"/> per queue. One pipeline (retry, auth, connection pool) serves all
/// its senders. Auth: SAS from a connection string, or Entra ID tokens for
/// <c>https://servicebus.azure.net/.default</c> (managed identity in Azure).
/// </summary>
public sealed class ServiceBusRestClient
{
    public const string ServiceBusScope = "https://servicebus.azure.net/.default";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _namespaceUri;
    private readonly string? _connectionEntityPath;
    private readonly int _maxMessageSize;

    public ServiceBusRestClient(string connectionString, ServiceBusClientOptions? options = null)
    {
        options ??= new ServiceBusClientOptions();
        var properties = ServiceBusConnectionStringProperties.Parse(connectionString);
        FullyQualifiedNamespace = properties.FullyQualifiedNamespace;
        _namespaceUri = NamespaceUri(FullyQualifiedNamespace);
        _connectionEntityPath = properties.EntityPath;
        _maxMessageSize = options.MaxMessageSizeInBytes;
        var auth = properties.SharedAccessSignature is { } signature
            ? new ServiceBusSasPolicy(signature, options.TimeProvider)
            : new ServiceBusSasPolicy(properties.SharedAccessKeyName!, properties.SharedAccessKey!, options.SasTokenLifetime, options.TimeProvider);
        _pipeline = HttpPipelineBuilder.Build(options, auth);
    }

    /// <param name="fullyQualifiedNamespace"><c>ns.servicebus.windows.net</c> (a port may follow).</param>
    public ServiceBusRestClient(string fullyQualifiedNamespace, TokenCredential credential, ServiceBusClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullyQualifiedNamespace);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new ServiceBusClientOptions();
        FullyQualifiedNamespace = fullyQualifiedNamespace.Trim().TrimEnd('/');
        _namespaceUri = NamespaceUri(FullyQualifiedNamespace);
        _maxMessageSize = options.MaxMessageSizeInBytes;
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, ServiceBusScope));
    }

    public string FullyQualifiedNamespace { get; }

    /// <summary>A sender for a queue or topic. With an <c>EntityPath</c> in the connection string, only that entity.</summary>
    public ServiceBusRestSender CreateSender(string queueOrTopicName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueOrTopicName);
        if (_connectionEntityPath is not null && !string.Equals(_connectionEntityPath, queueOrTopicName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"The connection string is for '{_connectionEntityPath}'; it cannot send to '{queueOrTopicName}'.", nameof(queueOrTopicName));
        }

        return new ServiceBusRestSender(_pipeline, _namespaceUri, FullyQualifiedNamespace, queueOrTopicName, _maxMessageSize);
    }

    private static Uri NamespaceUri(string fullyQualifiedNamespace)
    {
        var host = fullyQualifiedNamespace.Contains("://", StringComparison.Ordinal)
            ? new Uri(fullyQualifiedNamespace).Authority
            : fullyQualifiedNamespace;
        return Uri.TryCreate("https://" + host, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"'{fullyQualifiedNamespace}' is not a namespace host name.", nameof(fullyQualifiedNamespace));
    }
}
