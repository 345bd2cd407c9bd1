using Azure;

namespace FunctionsIvr.State.Tables;

/// <summary>
/// A storage connection string, read the way Azure.Data.Tables reads it: <c>UseDevelopmentStorage=true</c>
/// [+ <c>DevelopmentStorageProxyUri</c>], <c>AccountName</c> + <c>AccountKey</c> + (<c>TableEndpoint</c> or
/// <c>DefaultEndpointsProtocol</c>/<c>EndpointSuffix</c>), or <c>TableEndpoint</c> + <c>SharedAccessSignature</c>.
/// </summary>
public sealed class TableConnectionString
{
    public const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The published key of the emulator's well-known account; not a secret.</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int DevelopmentTablePort = 10002;

    private TableConnectionString(Uri tableEndpoint, TableSharedKeyCredential? sharedKey, AzureSasCredential? sas)
    {
        TableEndpoint = tableEndpoint;
        SharedKeyCredential = sharedKey;
        SasCredential = sas;
    }

    public Uri TableEndpoint { get; }

    /// <summary>Set for account-key connection strings (and the development account).</summary>
    public TableSharedKeyCredential? SharedKeyCredential { get; }

    /// <summary>Set for <c>SharedAccessSignature</c> connection strings.</summary>
    public AzureSasCredential? SasCredential { get; }

    /// <summary>Parses a connection string; <see cref="FormatException"/> names what is wrong but never echoes a key.</summary>
    public static TableConnectionString Parse(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = Split(connectionString);

        if (settings.TryGetValue("UseDevelopmentStorage", out var useDevelopment))
        {
            if (!string.Equals(useDevelopment, "true", StringComparison.Ordinal))
            {
                throw new FormatException("UseDevelopmentStorage must be exactly 'true'.");
            }

            return ForDevelopmentStorage(settings.GetValueOrDefault("DevelopmentStorageProxyUri"));
        }

        settings.TryGetValue("AccountName", out var accountName);
        settings.TryGetValue("AccountKey", out var accountKey);
        settings.TryGetValue("SharedAccessSignature", out var sas);
        var explicitEndpoint = settings.TryGetValue("TableEndpoint", out var endpointText)
            ? ParseAbsoluteUri(endpointText, "TableEndpoint")
            : null;

        if (!string.IsNullOrEmpty(sas))
        {
            if (explicitEndpoint is null && string.IsNullOrEmpty(accountName))
            {
                throw new FormatException("A SharedAccessSignature connection string needs TableEndpoint (or AccountName).");
            }

            return new TableConnectionString(
                explicitEndpoint ?? DefaultEndpoint(settings, accountName!), sharedKey: null, new AzureSasCredential(sas));
        }

        if (string.IsNullOrEmpty(accountKey))
        {
            throw new FormatException("The connection string has neither AccountKey nor SharedAccessSignature.");
        }

        var endpoint = explicitEndpoint;
        if (endpoint is null)
        {
            if (string.IsNullOrEmpty(accountName))
            {
                throw new FormatException("The connection string has AccountKey but neither AccountName nor TableEndpoint.");
            }

            endpoint = DefaultEndpoint(settings, accountName);
        }

        accountName = string.IsNullOrEmpty(accountName) ? AccountNameFromEndpoint(endpoint) : accountName;
        return new TableConnectionString(endpoint, new TableSharedKeyCredential(accountName, accountKey), sas: null);
    }

    /// <summary>
    /// The account an endpoint belongs to: the first DNS label (<c>acct.table.core.windows.net</c>), or, for an IP
    /// or loopback host as the emulator uses, the first path segment.
    /// </summary>
    public static string AccountNameFromEndpoint(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || endpoint.IsLoopback)
        {
            var segment = endpoint.AbsolutePath.Trim('/').Split('/')[0];
            if (segment.Length > 0) return segment;
        }

        return endpoint.Host.Split('.')[0];
    }

    private static TableConnectionString ForDevelopmentStorage(string? proxyUri)
    {
        var builder = new UriBuilder("http", "127.0.0.1", DevelopmentTablePort, DevelopmentAccountName);
        if (!string.IsNullOrEmpty(proxyUri))
        {
            var proxy = ParseAbsoluteUri(proxyUri, "DevelopmentStorageProxyUri");
            builder.Scheme = proxy.Scheme;
            builder.Host = proxy.Host;
        }

        return new TableConnectionString(
            builder.Uri, new TableSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey), sas: null);
    }

    private static Uri DefaultEndpoint(Dictionary<string, string> settings, string accountName)
    {
        var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol") ?? "https";
        var suffix = settings.GetValueOrDefault("EndpointSuffix") ?? "core.windows.net";
        if (protocol is not ("http" or "https"))
        {
            throw new FormatException("DefaultEndpointsProtocol must be 'http' or 'https'.");
        }

        return ParseAbsoluteUri($"{protocol}://{accountName}.table.{suffix}", "AccountName/EndpointSuffix");
    }

    private static Uri ParseAbsoluteUri(string value, string key) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new FormatException($"{key} is not an absolute http(s) URI.");

    private static Dictionary<string, string> Split(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException("Each connection string setting must be Name=Value.");
            }

            var name = part[..equals].Trim();
            if (!settings.TryAdd(name, part[(equals + 1)..].Trim()))
            {
                throw new FormatException($"The connection string sets '{name}' twice.");
            }
        }

        return settings;
    }
}
