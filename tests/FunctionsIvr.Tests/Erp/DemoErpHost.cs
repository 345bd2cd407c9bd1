using FunctionsIvr.Erp;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.Tests.Erp;

/// <summary>The DemoErp hosted in-process, and an <see cref="ErpClient"/> wired to it the way the app wires the real one.</summary>
public sealed class DemoErpHost : IDisposable
{
    private readonly WebApplicationFactory<FunctionsIvr.DemoErp.Program> _factory = new();

    public ErpClient CreateClient(Action<ErpClientOptions>? configure = null)
    {
        var options = new ErpClientOptions { BaseUrl = _factory.Server.BaseAddress, ApiKey = "demo-key", RetryDelayMs = 1, ReadTimeoutMs = 5000 };
        configure?.Invoke(options);
        return new ErpClient(new HttpClient(_factory.Server.CreateHandler()), options);
    }

    /// <summary>The DemoErp's address inside the test server (requests reach it only through <see cref="CreateHandler"/>).</summary>
    public Uri BaseAddress => _factory.Server.BaseAddress;

    /// <summary>A handler that sends requests straight into the in-process DemoErp, for an app's own ErpClient.</summary>
    public HttpMessageHandler CreateHandler() => _factory.Server.CreateHandler();

    /// <summary>For the DemoErp's admin switches.</summary>
    public HttpClient Admin()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "demo-key");
        return client;
    }

    public void Dispose() => _factory.Dispose();
}
