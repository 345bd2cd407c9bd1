using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.ErpContractTests;

/// <summary>
/// The middleware the suite talks to: <c>ERP_CONTRACT_BASE_URL</c> when set (an integrator's own), otherwise the
/// DemoErp hosted in this process. Data the suite relies on can be named for a foreign ERP:
/// <c>ERP_CONTRACT_PHONE</c> (a contact with orders, default the DemoErp's 48600100200),
/// <c>ERP_CONTRACT_PRODUCT_CODE</c> (in stock, at least 20 units; default CEM-325-25),
/// <c>ERP_CONTRACT_UNKNOWN_PHONE</c> (no contact; default 48609999999).
/// Credentials: <c>ERP_CONTRACT_API_KEY</c> (+ <c>ERP_CONTRACT_API_KEY_HEADER</c>, default X-Api-Key) and/or
/// <c>ERP_CONTRACT_BEARER_TOKEN</c>.
/// </summary>
public sealed class ErpUnderTest : IDisposable
{
    private readonly WebApplicationFactory<FunctionsIvr.DemoErp.Program>? _demo;

    public ErpUnderTest()
    {
        var baseUrl = Environment.GetEnvironmentVariable("ERP_CONTRACT_BASE_URL");
        ApiKey = Env("ERP_CONTRACT_API_KEY", string.IsNullOrEmpty(baseUrl) ? "demo-key" : "");
        ApiKeyHeader = Env("ERP_CONTRACT_API_KEY_HEADER", "X-Api-Key");
        BearerToken = Env("ERP_CONTRACT_BEARER_TOKEN", "");
        Phone = Env("ERP_CONTRACT_PHONE", "48600100200");
        ProductCode = Env("ERP_CONTRACT_PRODUCT_CODE", "CEM-325-25");
        UnknownPhone = Env("ERP_CONTRACT_UNKNOWN_PHONE", "48609999999");

        if (string.IsNullOrEmpty(baseUrl))
        {
            _demo = new WebApplicationFactory<FunctionsIvr.DemoErp.Program>();
            Anonymous = _demo.CreateClient();
            Client = _demo.CreateClient();
        }
        else
        {
            var root = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            Anonymous = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
            Client = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
        }

        if (!string.IsNullOrEmpty(ApiKey)) Client.DefaultRequestHeaders.TryAddWithoutValidation(ApiKeyHeader, ApiKey);
        if (!string.IsNullOrEmpty(BearerToken)) Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BearerToken);
    }

    /// <summary>Carries the credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>Carries none.</summary>
    public HttpClient Anonymous { get; }

    public string ApiKey { get; }
    public string ApiKeyHeader { get; }
    public string BearerToken { get; }
    public string Phone { get; }
    public string ProductCode { get; }
    public string UnknownPhone { get; }

    /// <summary>The phone in E.164, as the IVR's client sends it (URL-encoded by the caller).</summary>
    public string PhoneE164 => Phone.StartsWith('+') ? Phone : "+" + Phone;

    public async Task<JsonObject> GetObjectAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return await Shape.OkObjectAsync(response);
    }

    public async Task<JsonObject> KnownContactAsync()
    {
        var page = await GetObjectAsync("contacts?phone=" + Uri.EscapeDataString(PhoneE164));
        var items = Shape.Array(page, "items");
        Assert.True(items.Count > 0, $"ERP_CONTRACT_PHONE {Phone} must belong to a contact.");
        return items[0]!.AsObject();
    }

    public async Task<decimal> StockAsync(string code)
    {
        var page = await GetObjectAsync("products?search=" + Uri.EscapeDataString(code));
        var product = Shape.Array(page, "items").Select(i => i!.AsObject())
            .First(p => string.Equals(Shape.String(p, "code"), code, StringComparison.OrdinalIgnoreCase));
        return Shape.Number(product, "stock");
    }

    public Task<HttpResponseMessage> PostAsync(string path, object body, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey);

    public Task<HttpResponseMessage> PatchAsync(string path, object body) => SendAsync(HttpMethod.Patch, path, body, null);

    public void Dispose()
    {
        Client.Dispose();
        Anonymous.Dispose();
        _demo?.Dispose();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Client.SendAsync(request);
    }

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;
}

[CollectionDefinition(Name)]
public sealed class ErpContractCollection : ICollectionFixture<ErpUnderTest>
{
    public const string Name = "ERP contract";
}
