using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Erp;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace FunctionsIvr.Tests.Calls;

/// <summary>The whole handler in process (real pipeline: Hash filter, parser, engine, Session signing), the ERP mocked at its seam.</summary>
public sealed class IvrApp : WebApplicationFactory<Program>
{
    public const string Hash = "s3cr3t";

    private readonly Dictionary<string, string?> _settings;

    public IvrApp(Dictionary<string, string?>? settings = null)
    {
        _settings = new(EngineHarness.DefaultSettings)
        {
            ["Ivr:Hash"] = Hash,
            ["Ivr:SessionKey"] = "test-session-key-0123456789abcdef",
            ["Ivr:AnswerMode"] = "App",
            // Escalations the tests cause land in a temporary folder, not in the source tree.
            ["Escalations:Ticket:LocalFolder"] = Path.Combine(LocalFolder, "tickets"),
            ["Escalations:Email:PickupDirectory"] = Path.Combine(LocalFolder, "mail"),
            ["Escalations:WhatsApp:LocalFolder"] = Path.Combine(LocalFolder, "whatsapp"),
        };
        foreach (var (key, value) in settings ?? []) _settings[key] = value;
        Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(EngineHarness.RegularCustomer);
    }

    public Mock<ErpClient> Erp { get; } = new();

    /// <summary>Where this app's escalations are written (a per-process temporary folder).</summary>
    public static string LocalFolder { get; } = Path.Combine(Path.GetTempPath(), "functionsivr-tests-" + Environment.ProcessId);

    private Action<IServiceCollection>? _services;

    /// <summary>More test replacements (a recording queue, a manual clock), applied after the app's own wiring.</summary>
    public IvrApp WithServices(Action<IServiceCollection> services)
    {
        _services += services;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ErpClient>();
            services.AddSingleton(Erp.Object);
            _services?.Invoke(services);
        });
    }

    /// <summary>Posts a callback as the platform does (JSON with the request wrapper) and returns status and parsed body.</summary>
    public async Task<(int Status, JsonObject? Body)> PostAsync(JsonObject request, string contentType = "application/json")
    {
        using var client = CreateClient();
        var json = new JsonObject { ["request"] = request.DeepClone() }.ToJsonString();
        HttpContent content = contentType == "application/x-www-form-urlencoded"
            ? new FormUrlEncodedContent([new("request", request.ToJsonString())])
            : new StringContent(json, Encoding.UTF8);
        if (contentType == "application/json") content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync(new Uri("/api/ivr", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)?.AsObject());
    }

    public static JsonObject Callback(string eventName, string eventData = "", JsonNode? session = null, string callId = "example-uid-0001") => new()
    {
        ["FromNumber"] = "48600100200",
        ["ToNumber"] = "48221234567",
        ["ChannelStatus"] = "Connected",
        ["UniqueCallId"] = callId,
        ["Hash"] = Hash,
        ["Event"] = new JsonObject { ["EventName"] = eventName, ["EventData"] = eventData },
        ["Session"] = session?.DeepClone(),
    };

    public static string Text(JsonObject? body, string name) =>
        body?["Action"]?[name]?.GetValue<string>() ?? throw new InvalidOperationException($"no Action.{name} in {body?.ToJsonString()}");

    public static JsonElement Element(JsonNode node) => JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}
