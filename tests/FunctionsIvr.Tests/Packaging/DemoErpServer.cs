using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// The DemoErp on a real Kestrel socket (127.0.0.1, a free port), so a separate process such as the published
/// handler can reach it the way the deployed app reaches the customer's ERP.
/// </summary>
public sealed class DemoErpServer : IDisposable
{
    public const string ApiKey = "demo-key";

    private readonly WebApplicationFactory<FunctionsIvr.DemoErp.Program> _factory;

    private DemoErpServer(WebApplicationFactory<FunctionsIvr.DemoErp.Program> factory, Uri baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static DemoErpServer Start()
    {
        var factory = new WebApplicationFactory<FunctionsIvr.DemoErp.Program>();
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoErpServer(factory, new Uri(address));
    }

    public void Dispose() => _factory.Dispose();
}
