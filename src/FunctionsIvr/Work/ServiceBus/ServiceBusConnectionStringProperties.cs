namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// A Service Bus connection string, <c>Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=…;SharedAccessKey=…[;EntityPath=q]</c>
/// or with <c>SharedAccessSignature=…</c>, as Azure.Messaging.ServiceBus reads it.
/// </summary>
public sealed class ServiceBusConnectionStringProperties
{
    private ServiceBusConnectionStringProperties(
        Uri endpoint, string? entityPath, string? keyName, string? key, string? signature)
    {
        Endpoint = endpoint;
        EntityPath = entityPath;
        SharedAccessKeyName = keyName;
        SharedAccessKey = key;
        SharedAccessSignature = signature;
    }

    /// <summary>The namespace as given (<c>sb://…/</c>).</summary>
    public Uri Endpoint { get; }

    /// <summary>Host, plus the port when one is given.</summary>
    public string FullyQualifiedNamespace => Endpoint.IsDefaultPort ? Endpoint.Host : Endpoint.Authority;

    public string? EntityPath { get; }
    public string? SharedAccessKeyName { get; }
    public string? SharedAccessKey { get; }
    public string? SharedAccessSignature { get; }

    /// <summary>Parses the string; <see cref="FormatException"/> names what is wrong but never echoes a key.</summary>
    public static ServiceBusConnectionStringProperties Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new FormatException("Each connection string setting must be Name=Value.");
            var name = part[..equals].Trim();
            if (!settings.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"The connection string sets '{name}' twice.");
            }
        }

        if (settings.TryGetValue("UseDevelopmentEmulator", out var emulator) && string.Equals(emulator, "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("The Service Bus emulator speaks AMQP only; this client sends over HTTPS and cannot use it.");
        }

        if (!settings.TryGetValue("Endpoint", out var endpointText) || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new FormatException("The connection string needs Endpoint=sb://<namespace>/.");
        }

        var keyName = settings.GetValueOrDefault("SharedAccessKeyName");
        var key = settings.GetValueOrDefault("SharedAccessKey");
        var signature = settings.GetValueOrDefault("SharedAccessSignature");
        var hasKey = !string.IsNullOrEmpty(keyName) && !string.IsNullOrEmpty(key);
        if (hasKey == !string.IsNullOrEmpty(signature))
        {
            throw new FormatException(
                "The connection string needs either SharedAccessKeyName and SharedAccessKey, or SharedAccessSignature (not both).");
        }

        var entityPath = settings.GetValueOrDefault("EntityPath");
        return new ServiceBusConnectionStringProperties(
            endpoint, string.IsNullOrEmpty(entityPath) ? null : entityPath, keyName, key, signature);
    }
}
