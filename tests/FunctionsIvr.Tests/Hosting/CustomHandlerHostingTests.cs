using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FunctionsIvr.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Hosting;

/// <summary>Real Kestrel on loopback: where the handler listens when the Functions host starts it.</summary>
public sealed class CustomHandlerHostingTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static WebApplicationBuilder NewBuilder(string? port, params string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.ClearProviders();
        if (port is not null) builder.Configuration[CustomHandlerHosting.PortVariable] = port;
        return builder;
    }

    private static async Task<(WebApplication App, IReadOnlyCollection<string> Addresses)> StartAsync(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.MapHostHealth();
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return (app, addresses.ToList());
    }

    [Fact]
    public async Task UseCustomHandlerPort_PortSet_ListensOnLoopbackAtThatPortOnlyAndAnswersTheHealthPing()
    {
        var port = FreePort();
        var builder = NewBuilder(port.ToString(CultureInfo.InvariantCulture), "--urls", "http://127.0.0.1:0");

        builder.UseCustomHandlerPort();
        var (app, addresses) = await StartAsync(builder);
        await using var _ = app;

        Assert.Equal([$"http://127.0.0.1:{port}"], addresses);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UseCustomHandlerPort_PortFromTheEnvironment_Used()
    {
        var port = FreePort();
        Environment.SetEnvironmentVariable(CustomHandlerHosting.PortVariable, port.ToString(CultureInfo.InvariantCulture));
        WebApplicationBuilder builder;
        try
        {
            builder = NewBuilder(null);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CustomHandlerHosting.PortVariable, null);
        }

        builder.UseCustomHandlerPort();
        var (app, addresses) = await StartAsync(builder);
        await using var _ = app;

        Assert.Equal([$"http://127.0.0.1:{port}"], addresses);
    }

    [Fact]
    public async Task UseCustomHandlerPort_PortNotSet_UrlsApply()
    {
        var builder = NewBuilder(null, "--urls", "http://127.0.0.1:0");

        builder.UseCustomHandlerPort();
        var (app, addresses) = await StartAsync(builder);
        await using var _ = app;

        var address = Assert.Single(addresses);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(address + "/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("-1")]
    [InlineData("80.5")]
    public void UseCustomHandlerPort_NotAPort_FailsAtStartupNamingTheVariable(string value)
    {
        var builder = NewBuilder(value);

        var error = Assert.Throws<InvalidOperationException>(() => builder.UseCustomHandlerPort());

        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunRequestsOnTheReadingThread_KestrelInlinesRequestsAndStillAnswersManyConnectionsAtOnce()
    {
        var port = FreePort();
        var builder = NewBuilder(port.ToString(CultureInfo.InvariantCulture));
        builder.UseCustomHandlerPort();

        builder.RunRequestsOnTheReadingThread();
        var (app, _) = await StartAsync(builder);
        await using var __ = app;

        Assert.True(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 });
        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => http.GetAsync(new Uri($"http://127.0.0.1:{port}/"))));
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        foreach (var answer in answers) answer.Dispose();
    }
}
