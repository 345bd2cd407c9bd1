using FunctionsIvr.Calls;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using FunctionsIvr.Work;
using Moq;

namespace FunctionsIvr.Tests.Calls;

/// <summary>The real call flow and engine from DI, driven callback by callback without HTTP.</summary>
public sealed class EngineHarness : IDisposable
{
    public static readonly Dictionary<string, string?> DefaultSettings = new()
    {
        ["Prompts:welcome"] = "1",
        ["Prompts:main_menu"] = "2",
        ["Prompts:menu_retry"] = "3",
        ["Prompts:sorry_unavailable"] = "9",
        ["Prompts:apology"] = "8",
        ["Prompts:please_wait"] = "7",
        ["Prompts:welcome_guest"] = "10",
        ["Prompts:vip_offer"] = "11",
        ["Prompts:blocked_declined"] = "12",
        ["Prompts:guest_menu"] = "13",
        ["Prompts:promotion"] = "60",
        ["Prompts:promotion_percent"] = "61",
        ["Prompts:promotion_price"] = "62",
        ["Prompts:recommendation"] = "63",
        ["Prompts:recommendation_price"] = "64",
        ["Prompts:offers_menu"] = "65",
        ["Prompts:no_offers"] = "66",
        ["Prompts:complaints_count"] = "67",
        ["Prompts:complaint"] = "68",
        ["Prompts:complaint_open"] = "69",
        ["Prompts:complaint_in_progress"] = "70",
        ["Prompts:complaint_status"] = "71",
        ["Prompts:complaints_menu"] = "72",
        ["Prompts:no_complaints"] = "73",
        ["Prompts:faq_menu"] = "74",
        ["Prompts:callback_confirm"] = "79",
        ["Prompts:callback_promised"] = "80",
        ["Prompts:no_active_orders"] = "100",
        ["Prompts:order_number"] = "101",
        ["Prompts:order_status_confirmed"] = "102",
        ["Prompts:order_status_in_preparation"] = "103",
        ["Prompts:order_status_shipped"] = "104",
        ["Prompts:order_status_unknown"] = "105",
        ["Prompts:delivery_date"] = "106",
        ["Prompts:delivery_date_unknown"] = "107",
        ["Prompts:order_next_menu"] = "108",
        ["Prompts:no_more_orders"] = "109",
        ["Prompts:order_option"] = "110",
        ["Prompts:change_choose_order"] = "111",
        ["Prompts:order_cannot_change"] = "112",
        ["Prompts:change_order_menu"] = "113",
        ["Prompts:cancel_confirm"] = "114",
        ["Prompts:order_cancelled"] = "115",
        ["Prompts:order_line"] = "116",
        ["Prompts:choose_line"] = "117",
        ["Prompts:change_confirm"] = "118",
        ["Prompts:order_changed"] = "119",
        ["Prompts:order_change_rejected"] = "120",
        ["Prompts:no_previous_order"] = "121",
        ["Prompts:repeat_summary"] = "122",
        ["Prompts:repeat_total"] = "123",
        ["Prompts:repeat_confirm"] = "124",
        ["Prompts:enter_quantity"] = "125",
        ["Prompts:quantity_invalid"] = "126",
        ["Prompts:order_confirm"] = "127",
        ["Prompts:confirm_keys"] = "128",
        ["Prompts:order_accepted"] = "129",
        ["Prompts:order_rejected"] = "130",
        ["Prompts:order_try_later"] = "131",
        ["Prompts:enter_product_code"] = "140",
        ["Prompts:product_not_found"] = "141",
        ["Prompts:product_price"] = "142",
        ["Prompts:in_stock"] = "143",
        ["Prompts:out_of_stock"] = "144",
        ["Prompts:product_menu"] = "145",
        ["Prompts:product_menu_guest"] = "146",
        ["Prompts:top_product"] = "147",
        ["Prompts:top_products_menu"] = "148",
        ["Prompts:no_top_products"] = "149",
        ["Transfer:AgentLogin"] = "agent_default",
        ["Transfer:TeamQueue"] = "kolejka_sprzedaz",
    };

    private readonly IHost _host;

    /// <param name="configure">More of the app's own wiring (e.g. <c>b => b.AddOrders()</c>), applied after the call flow.</param>
    /// <param name="callId">The call's id: another harness's, to serve the same call on a second instance of the app.</param>
    public EngineHarness(
        Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, Action<IHostApplicationBuilder>? configure = null,
        string? callId = null)
    {
        CallId = callId ?? "call-" + Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(DefaultSettings);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIvrProtocol();
        builder.AddCallFlow();
        builder.AddInMemoryState();
        builder.Services.AddSingleton<IWorkQueue>(Work);
        configure?.Invoke(builder);
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddSingleton(Erp.Object);
        services?.Invoke(builder.Services);
        _host = builder.Build();
        Engine = _host.Services.GetRequiredService<CallEngine>();
    }

    public ManualTimeProvider Time { get; } = new();

    /// <summary>The out-of-band work the call sent (escalations, call records).</summary>
    public RecordingWorkQueue Work { get; } = new();

    /// <summary>The ERP seam; by default it knows the caller as a regular customer.</summary>
    public Mock<ErpClient> Erp { get; } = DefaultErp();

    public static Contact RegularCustomer { get; } = new() { Id = "C-1001", Name = "Jan Kowalski", Company = "Hurtownia Kowalski" };

    private static Mock<ErpClient> DefaultErp()
    {
        var erp = new Mock<ErpClient>();
        erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(RegularCustomer);
        return erp;
    }

    public CallEngine Engine { get; }

    public CallSession? Session { get; private set; }

    public string CallId { get; }

    public IServiceProvider Services => _host.Services;

    /// <summary>Sends a callback with the Session of the previous answer, as the platform does.</summary>
    public async Task<CallTurn> SendAsync(string eventName, string eventData = "", IvrError? error = null)
    {
        var turn = await StartAsync(eventName, eventData, error);
        Session = turn.Session;
        return turn;
    }

    public Task<CallTurn> StartAsync(string eventName, string eventData = "", IvrError? error = null) =>
        Engine.HandleAsync(Request(eventName, eventData, error), Session, null, Time.GetTimestamp());

    /// <summary>The caller's number as the platform sends it (blank or a word such as <c>anonymous</c> when withheld).</summary>
    public string FromNumber { get; set; } = "48600100200";

    public IvrRequest Request(string eventName, string eventData = "", IvrError? error = null) => new()
    {
        UniqueCallId = CallId,
        FromNumber = FromNumber,
        ToNumber = "48221234567",
        ChannelStatus = "Connected",
        EventName = eventName,
        EventData = eventData,
        Error = error,
    };

    public void UseSession(CallSession? session) => Session = session;

    public void Dispose() => _host.Dispose();
}
