using System.Text;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.Integration;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work.ServiceBus;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// The handler for a drill: the whole app over the in-process DemoErp, with the real 1500 ms callback budget, its own
/// escalation folders, a clock the drill can move ahead, work retries short enough for a test (the same rules, in
/// milliseconds instead of seconds: the in-process queue's redeliveries and, on Service Bus, the pause before a failed
/// delivery is answered), and the outbox sweep run by the drill (POST /SweepOutbox, as the host's timer does).
/// </summary>
internal static class DrillApp
{
    public const string AcceptedPrompt = "129";
    public const string HoldPrompt = "7";
    public const string CallbackPromisedPrompt = "80";

    /// <summary>The DemoErp's customer whose rep prefers e-mail (docs/erp-middleware.md, "Demo data").</summary>
    public const string EmailRepCustomerPhone = "48605500600";

    /// <summary>The prompts "what callers heard" names.</summary>
    public static readonly IReadOnlyDictionary<string, string> PromptNames = new Dictionary<string, string>
    {
        ["129"] = "order accepted",
        ["7"] = "please wait",
        ["131"] = "order: try later",
        ["9"] = "sorry, unavailable",
        ["8"] = "apology",
        ["80"] = "callback promised",
    };

    public static IntegrationApp Create(
        DemoErpHost erp, string folder, ShiftedTimeProvider clock, Dictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Ivr:CallbackBudgetMs"] = FaultDrillReport.BudgetMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WorkQueue:RetryBaseDelay"] = "00:00:00.250",
            ["WorkQueue:RetryMaxDelay"] = "00:00:02",
            ["SweepOutbox:Interval"] = "01:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Error",
            ["Escalations:Ticket:LocalFolder"] = Path.Combine(folder, "tickets"),
            ["Escalations:Email:PickupDirectory"] = Path.Combine(folder, "mail"),
            ["Escalations:WhatsApp:LocalFolder"] = Path.Combine(folder, "whatsapp"),
        };
        foreach (var (key, value) in settings) all[key] = value;
        return new IntegrationApp(erp, all, s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            services?.Invoke(s);
        });
    }

    /// <summary>The drill's app configured for Service Bus: the in-process fake namespace <paramref name="bus"/>, state in <paramref name="storage"/>.</summary>
    public static IntegrationApp CreateOnServiceBus(
        DemoErpHost erp, string folder, ShiftedTimeProvider clock, string storage, FakeServiceBusServer bus,
        Dictionary<string, string?>? settings = null)
    {
        var connection = bus.ConnectionString();
        var all = new Dictionary<string, string?> { ["StateStorage"] = storage, ["ServiceBusConnection"] = connection };
        foreach (var (key, value) in settings ?? []) all[key] = value;
        return Create(erp, folder, clock, all,
            s => s.AddSingleton(new ServiceBusRestClient(connection, new ServiceBusClientOptions { Transport = bus.CreateTransport() })));
    }

    public static string NewFolder(string fault) =>
        Path.Combine(IvrApp.LocalFolder, "drills", fault + "-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>A connection string for the Azurite account at <paramref name="port"/> (a proxy in front of it, say).</summary>
    public static string StorageAt(int port) =>
        "DefaultEndpointsProtocol=http;AccountName=" + TableConnectionString.DevelopmentAccountName
        + ";AccountKey=" + TableConnectionString.DevelopmentAccountKey + $";TableEndpoint=http://127.0.0.1:{port}/{TableConnectionString.DevelopmentAccountName}";

    /// <summary>Waits until every call in <paramref name="calls"/> has its call-back ticket; false when <paramref name="timeout"/> passes first.</summary>
    public static async Task<bool> WaitForCallbackTicketsAsync(string folder, IEnumerable<DrillCall> calls, TimeSpan timeout)
    {
        var files = calls.Select(c => Path.Combine(folder, "tickets", "callback-requested-" + c.CallId + ".json")).ToList();
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!files.All(File.Exists))
        {
            if (waited.Elapsed > timeout) return false;
            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>What the host's timer posts to run SweepOutbox once.</summary>
    public static async Task<int> SweepAsync(IntegrationApp app)
    {
        const string timer = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"SweepOutbox"}}}""";
        using var client = app.CreateClient();
        using var content = new StringContent(timer, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/SweepOutbox", UriKind.Relative), content);
        return (int)response.StatusCode;
    }

    /// <summary>A caller who rang, heard the menu and stands where <paramref name="keys"/> lead.</summary>
    public static async Task<DrillCall> CallAsync(IntegrationApp app, string phone, params string[] keys)
    {
        var call = new DrillCall(app, phone);
        await call.SendAsync("Connected");
        await call.ListenAsync(HoldPrompt);
        foreach (var key in keys) await call.PressAsync(key, HoldPrompt);
        return call;
    }
}
