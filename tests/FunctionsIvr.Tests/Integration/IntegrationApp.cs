using FunctionsIvr.Erp;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Erp;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Integration;

/// <summary>
/// The whole handler in process with its real wiring: the app's own <see cref="ErpClient"/> talking to the
/// in-process DemoErp, and whatever state and queue the settings choose (<c>StateStorage</c>, <c>ServiceBusConnection</c>).
/// </summary>
public sealed class IntegrationApp : WebApplicationFactory<Program>
{
    private readonly DemoErpHost _erp;
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public IntegrationApp(DemoErpHost erp, Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _erp = erp;
        _services = services;
        _settings = new(EngineHarness.DefaultSettings)
        {
            ["Ivr:Hash"] = IvrApp.Hash,
            ["Ivr:SessionKey"] = "test-session-key-0123456789abcdef",
            ["Ivr:AnswerMode"] = "App",
            ["Erp:BaseUrl"] = erp.BaseAddress.AbsoluteUri,
            ["Erp:ApiKey"] = "demo-key",
            // A loaded 2-core machine must not turn a slow in-process answer into a "sorry" prompt.
            ["Erp:ReadTimeoutMs"] = "10000",
            ["Erp:WriteTimeoutMs"] = "10000",
            ["Ivr:CallbackBudgetMs"] = "20000",
            ["Escalations:Ticket:LocalFolder"] = Path.Combine(IvrApp.LocalFolder, "tickets"),
            ["Escalations:Email:PickupDirectory"] = Path.Combine(IvrApp.LocalFolder, "mail"),
            ["Escalations:WhatsApp:LocalFolder"] = Path.Combine(IvrApp.LocalFolder, "whatsapp"),
        };
        foreach (var (key, value) in settings) _settings[key] = value;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient(nameof(ErpClient)).ConfigurePrimaryHttpMessageHandler(_erp.CreateHandler);
            _services?.Invoke(services);
        });
    }
}
