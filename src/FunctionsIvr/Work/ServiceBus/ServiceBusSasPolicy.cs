using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FunctionsIvr.Work.ServiceBus;

/// <summary>
/// Authorizes each attempt with a Service Bus SAS token for the entity addressed (<c>https://{ns}/{entity}</c>),
/// made as Azure.Messaging.ServiceBus makes it and cached until five minutes before it expires.
/// Unlike Storage, the HMAC key is the UTF-8 bytes of the key string, not its Base64 decoding.
/// </summary>
internal sealed class ServiceBusSasPolicy : HttpPipelineSynchronousPolicy
{
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    private readonly string? _keyName;
    private readonly byte[]? _key;
    private readonly string? _fixedSignature;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);

    public ServiceBusSasPolicy(string keyName, string key, TimeSpan lifetime, TimeProvider timeProvider)
    {
        _keyName = keyName;
        _key = Encoding.UTF8.GetBytes(key);
        _lifetime = lifetime > RenewBefore ? lifetime : throw new ArgumentOutOfRangeException(nameof(lifetime), "A SAS token must live longer than 5 minutes.");
        _timeProvider = timeProvider;
    }

    /// <summary>A ready-made token from the connection string; sent as is and never renewed.</summary>
    public ServiceBusSasPolicy(string signature, TimeProvider timeProvider)
    {
        _fixedSignature = signature.StartsWith("SharedAccessSignature ", StringComparison.Ordinal) ? signature : "SharedAccessSignature " + signature;
        _timeProvider = timeProvider;
    }

    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("Authorization", _fixedSignature ?? TokenFor(ResourceOf(message.Request.Uri)));
    }

    private string TokenFor(string resource)
    {
        var now = _timeProvider.GetUtcNow();
        if (_tokens.TryGetValue(resource, out var cached) && cached.ExpiresAt - now > RenewBefore)
        {
            return cached.Token;
        }

        var expiresAt = now + _lifetime;
        var token = BuildToken(resource, _keyName!, _key!, expiresAt);
        _tokens[resource] = (token, expiresAt);
        return token;
    }

    internal static string BuildToken(string resource, string keyName, byte[] key, DateTimeOffset expiresAt)
    {
        var encodedResource = WebUtility.UrlEncode(resource);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var hmac = new HMACSHA256(key);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry)));
        return "SharedAccessSignature sr=" + encodedResource
            + "&sig=" + WebUtility.UrlEncode(signature)
            + "&se=" + expiry
            + "&skn=" + WebUtility.UrlEncode(keyName);
    }

    /// <summary>The entity a request addresses: the path up to its <c>messages</c> segment.</summary>
    internal static string ResourceOf(RequestUriBuilder uri)
    {
        var segments = uri.Path.Trim('/').Split('/');
        var entityLength = Array.IndexOf(segments, "messages");
        var entity = string.Join('/', entityLength < 0 ? segments : segments[..entityLength]);
        var authority = uri.Port is -1 or 443 ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return uri.Scheme + "://" + authority + "/" + Uri.UnescapeDataString(entity);
    }
}
