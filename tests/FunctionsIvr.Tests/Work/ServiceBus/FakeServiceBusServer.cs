using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Work.ServiceBus;

/// <summary>
/// A Service Bus namespace's HTTPS send endpoint, in process (Kestrel on 127.0.0.1, a self-signed certificate):
/// checks what the service checks (SAS token format, signature, expiry and key name, or a bearer token; entity
/// exists; Content-Type; BrokerProperties JSON; MessageId ≤ 128; size) and keeps accepted messages per queue,
/// dropping repeats of a MessageId as duplicate detection does. Faults can be queued per test, or an outage switched on and off.
/// The SAS check is written from the service documentation, independently of the client.
/// </summary>
public sealed class FakeServiceBusServer : IAsyncDisposable
{
    public const string KeyName = "RootManageSharedAccessKey";
    public const string Key = "c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg5YWI=";

    private static readonly HashSet<string> TransportHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Type", "Content-Length", "Authorization", "BrokerProperties", "Accept", "Accept-Encoding", "User-Agent",
        "Connection", "Expect", "traceparent", "tracestate", "Request-Id",
    };

    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeServiceBusMessage>> _queues = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _seenMessageIds = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeServiceBusRequest> _requests = new();
    private readonly ConcurrentDictionary<string, bool> _bearerTokens = new(StringComparer.Ordinal);

    private FakeServiceBusServer(WebApplication app, X509Certificate2 certificate, TimeProvider timeProvider)
    {
        _app = app;
        _certificate = certificate;
        TimeProvider = timeProvider;
    }

    public int Port { get; private set; }

    /// <summary>The port clients reach the namespace on when a proxy stands in front of it (a fault drill's); null when they connect directly.</summary>
    public int? FrontPort { get; set; }

    /// <summary>The namespace as clients address it, and as SAS tokens must name it.</summary>
    public string FullyQualifiedNamespace => $"127.0.0.1:{FrontPort ?? Port}";

    public TimeProvider TimeProvider { get; }

    /// <summary>The Standard tier's 256 KB unless a test lowers it.</summary>
    public int MaxMessageSizeInBytes { get; set; } = 256 * 1024;

    /// <summary>What an unknown entity answers: 404 for a namespace that never had it; 410 for one deleted.</summary>
    public int MissingEntityStatus { get; set; } = 404;

    public IReadOnlyList<FakeServiceBusRequest> Requests => _requests.ToList();

    /// <summary>While set, every authorized send answers this status and keeps nothing (an outage); null when healthy.</summary>
    public int? OutageStatus { get; set; }

    public string ConnectionString(string? entityPath = null, string key = Key) =>
        $"Endpoint=sb://{FullyQualifiedNamespace}/;SharedAccessKeyName={KeyName};SharedAccessKey={key}"
        + (entityPath is null ? "" : $";EntityPath={entityPath}");

    public static async Task<FakeServiceBusServer> StartAsync(IEnumerable<string> queues, TimeProvider? timeProvider = null)
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 8 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        var app = builder.Build();
        var server = new FakeServiceBusServer(app, certificate, timeProvider ?? TimeProvider.System);
        foreach (var queue in queues) server._queues[queue] = new ConcurrentQueue<FakeServiceBusMessage>();
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>A transport that trusts this server's certificate (and only it).</summary>
    public HttpPipelineTransport CreateTransport()
    {
        var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
        };
        return new HttpClientTransport(new HttpClient(handler));
    }

    public void AcceptBearerToken(string token) => _bearerTokens[token] = true;

    /// <summary>The next <paramref name="times"/> sends answer <paramref name="status"/>; with <paramref name="afterAccepting"/> the message is kept first (the reply was lost).</summary>
    public void FailNext(int status, int times = 1, bool afterAccepting = false)
    {
        for (var i = 0; i < times; i++) _faults.Enqueue(new Fault(status, afterAccepting));
    }

    public IReadOnlyList<FakeServiceBusMessage> Messages(string queue) => _queues.TryGetValue(queue, out var messages) ? messages.ToList() : [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context, string path)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        var messageIdForLog = TryReadBrokerProperties(request.Headers["BrokerProperties"].ToString(), out var logProps)
            && logProps.TryGetValue("MessageId", out var id) ? id.GetString() : null;
        var outcome = await ProcessAsync(context, path, authorization);
        var status = outcome == MessageTooLarge ? 403 : outcome;
        _requests.Enqueue(new FakeServiceBusRequest(path, authorization, messageIdForLog, status));
        context.Response.StatusCode = status;
        if (status != 201)
        {
            var detail = outcome == MessageTooLarge
                ? $"The message size exceeds the limit of {MaxMessageSizeInBytes} bytes allowed on this entity."
                : $"Fake Service Bus answered {status}.";
            context.Response.ContentType = "application/xml; charset=utf-8";
            await context.Response.WriteAsync($"<Error><Code>{status}</Code><Detail>{detail}</Detail></Error>");
        }
    }

    /// <summary>What <see cref="ProcessAsync"/> answers for a message over the size limit; sent as 403.</summary>
    private const int MessageTooLarge = -403;

    private async Task<int> ProcessAsync(HttpContext context, string path, string authorization)
    {
        var request = context.Request;
        if (!path.EndsWith("/messages", StringComparison.Ordinal)) return 400;
        var entity = Uri.UnescapeDataString(path[..^"/messages".Length]);
        var resource = $"https://{FullyQualifiedNamespace}/{entity}";
        if (!IsAuthorized(authorization, resource)) return 401;

        if (OutageStatus is { } outage) return outage;
        _faults.TryDequeue(out var fault);
        if (fault is { AfterAccepting: false }) return fault.Status;

        if (!_queues.TryGetValue(entity, out var queue)) return MissingEntityStatus;
        if (string.IsNullOrEmpty(request.ContentType)) return 400;
        var brokerPropertiesText = request.Headers["BrokerProperties"].ToString();
        Dictionary<string, JsonElement> brokerProperties = [];
        if (brokerPropertiesText.Length > 0 && !TryReadBrokerProperties(brokerPropertiesText, out brokerProperties)) return 400;
        var messageId = brokerProperties.TryGetValue("MessageId", out var idElement) ? idElement.GetString() : null;
        if (messageId is { Length: > 128 }) return 400;

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var applicationProperties = request.Headers
            .Where(h => !TransportHeaders.Contains(h.Key) && !h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var size = body.Length + Encoding.UTF8.GetByteCount(brokerPropertiesText) + applicationProperties.Sum(p => p.Key.Length + p.Value.Length);
        // Service Bus answers a message too large with 403, like a quota of the queue, and says which in the detail.
        if (size > MaxMessageSizeInBytes) return MessageTooLarge;

        // Duplicate detection: a MessageId seen before is accepted (201) and dropped.
        if (messageId is null || _seenMessageIds.TryAdd(messageId, true))
        {
            queue.Enqueue(new FakeServiceBusMessage(entity, body.ToArray(), request.ContentType!, brokerProperties, applicationProperties, authorization));
        }

        return fault?.Status ?? 201;
    }

    private bool IsAuthorized(string authorization, string resource)
    {
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.Ordinal)) return _bearerTokens.ContainsKey(authorization[bearer.Length..]);

        const string sas = "SharedAccessSignature ";
        if (!authorization.StartsWith(sas, StringComparison.Ordinal)) return false;
        var fields = authorization[sas.Length..].Split('&')
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("sr", out var encodedResource) || !fields.TryGetValue("sig", out var signature)
            || !fields.TryGetValue("se", out var expiry) || !fields.TryGetValue("skn", out var keyName))
        {
            return false;
        }

        var scope = WebUtility.UrlDecode(encodedResource);
        if (!resource.StartsWith(scope.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)) return false;
        if (!long.TryParse(expiry, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || expiresAt <= TimeProvider.GetUtcNow().ToUnixTimeSeconds())
        {
            return false;
        }

        if (WebUtility.UrlDecode(keyName) != KeyName) return false;

        // The service's rule: HMAC-SHA256 keyed with the UTF-8 bytes of the key, over "<sr as sent>\n<se>".
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(Key));
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry)));
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(WebUtility.UrlDecode(signature)));
    }

    private static bool TryReadBrokerProperties(string text, out Dictionary<string, JsonElement> properties)
    {
        properties = [];
        if (text.Length == 0) return false;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            properties = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // A PFX round trip gives a key Kestrel's TLS stack can use on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    private sealed record Fault(int Status, bool AfterAccepting);
}

public sealed record FakeServiceBusMessage(
    string Queue,
    byte[] Body,
    string ContentType,
    IReadOnlyDictionary<string, JsonElement> BrokerProperties,
    IReadOnlyDictionary<string, string> ApplicationProperties,
    string Authorization)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

public sealed record FakeServiceBusRequest(string Path, string Authorization, string? MessageId, int Status);
