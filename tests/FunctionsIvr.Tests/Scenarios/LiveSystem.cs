using System.Net;
using FunctionsIvr.DemoErp.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Scenarios;

/// <summary>
/// The system as <c>scripts/run-local.sh</c> runs it, on real sockets: the DemoErp on a free 127.0.0.1 port and the
/// handler (Development, in-memory state, in-process queue) on another, pointed at it. The simulator calls the handler
/// over HTTP exactly as it calls a deployed app.
/// </summary>
public sealed class LiveSystem : IAsyncDisposable
{
    public const string Hash = "scenario-hash";
    public const string ErpApiKey = "demo-key";

    private readonly WebApplication _erp;
    private readonly Handler _handler;
    private readonly DirectoryInfo _localFolder;

    private LiveSystem(WebApplication erp, Uri erpUrl, Handler handler, Uri ivrUrl, DirectoryInfo localFolder)
    {
        _erp = erp;
        ErpUrl = erpUrl;
        _handler = handler;
        IvrUrl = ivrUrl;
        _localFolder = localFolder;
    }

    public Uri ErpUrl { get; }

    /// <summary>The webhook: <c>http://127.0.0.1:{port}/api/ivr</c>.</summary>
    public Uri IvrUrl { get; }

    /// <summary>The handler's services (the in-process queue, the outbox store).</summary>
    public IServiceProvider Services => _handler.Services;

    /// <param name="erpSettings">DemoErp settings over its defaults (<c>DemoErp:StockMultiplier</c>…).</param>
    public static async Task<LiveSystem> StartAsync(IReadOnlyDictionary<string, string?>? erpSettings = null)
    {
        var erp = await StartErpAsync(erpSettings ?? new Dictionary<string, string?>());
        var erpUrl = new Uri(Address(erp.Services));
        await WarmUpAsync(erpUrl);
        var localFolder = Directory.CreateTempSubdirectory("ivr-scenarios-");
        var handler = new Handler(new Dictionary<string, string?>
        {
            ["Erp:BaseUrl"] = erpUrl.ToString(),
            ["Erp:ApiKey"] = ErpApiKey,
            ["Ivr:Hash"] = Hash,
            // The scenarios check what the caller hears, not speed: a cold first call on a loaded 2-core machine may
            // take longer than the shipped 1.5 s, and the engine would then answer its hold/fallback path instead.
            ["Ivr:CallbackBudgetMs"] = "20000",
            ["Erp:ReadTimeoutMs"] = "10000",
            ["Erp:WriteTimeoutMs"] = "15000",
            ["Escalations:Ticket:LocalFolder"] = Path.Combine(localFolder.FullName, "tickets"),
            ["Escalations:Email:PickupDirectory"] = Path.Combine(localFolder.FullName, "mail"),
            ["Escalations:WhatsApp:LocalFolder"] = Path.Combine(localFolder.FullName, "whatsapp"),
        });
        // An explicit listen, not UseKestrel(0): the port overload edits the server's addresses after the app has
        // started binding on its own thread, and fails when the bind wins that race.
        handler.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        handler.StartServer();
        var ivrUrl = new Uri(new Uri(Address(handler.Services)), "/api/ivr");
        return new LiveSystem(erp, erpUrl, handler, ivrUrl, localFolder);
    }

    /// <summary>An HTTP client for the DemoErp's API, key included.</summary>
    public HttpClient ErpClient()
    {
        var client = new HttpClient { BaseAddress = ErpUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ErpApiKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _handler.DisposeAsync();
        await _erp.DisposeAsync();
        try
        {
            _localFolder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a late escalation writer; the temp folder is cleaned by the OS.
        }
    }

    private static async Task<WebApplication> StartErpAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddDemoErp();
        var app = builder.Build();
        app.MapDemoErp();
        await app.StartAsync();
        return app;
    }

    /// <summary>The DemoErp's first contact lookup compiles its whole pipeline; done here, not in a scenario's first callback.</summary>
    private static async Task WarmUpAsync(Uri erpUrl)
    {
        using var client = new HttpClient { BaseAddress = erpUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ErpApiKey);
        using var response = await client.GetAsync(new Uri("/contacts?phone=48600100200", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The bound address, as 127.0.0.1 (Kestrel may report localhost).</summary>
    private static string Address(IServiceProvider services)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                        ?? throw new InvalidOperationException("The server reports no addresses.");
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                      ?? throw new InvalidOperationException("The server listens on no http address: " + string.Join(", ", addresses));
        return address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
    }

    /// <summary>The real handler (Program.cs as shipped) in Development, with the given settings.</summary>
    private sealed class Handler(Dictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        }
    }
}
