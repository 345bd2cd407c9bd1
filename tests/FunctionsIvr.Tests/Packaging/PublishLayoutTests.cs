using System.Net;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Functions;
using FunctionsIvr.Ivr;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// What `azd deploy` ships: the output of `dotnet publish -c Release` must be a Functions app root the
/// Flex Consumption host can run as is. Exclude with <c>--filter "Category!=Publish"</c> for a quick loop.
/// </summary>
[Trait("Category", "Publish")]
[SupportedOSPlatform("linux")] // the package is linux-x64; its apphost runs only there
[Collection(PublishCollection.Name)]
public class PublishLayoutTests(PublishedApp app)
{
    private const string IvrCallbackFunction = "IvrCallback";

    [Fact]
    public void HostJson_AtAppRoot_IsTheRepositoryHostJson()
    {
        var published = Path.Combine(app.Root, "host.json");

        Assert.True(File.Exists(published), "host.json is missing from the app root: the host would find no functions");
        Assert.Equal(File.ReadAllText(RepoPaths.HostJson), File.ReadAllText(published));
    }

    [Fact]
    public void DefaultExecutablePath_InPublishedHostJson_IsAnExecutableFileAtTheRoot()
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Root, "host.json")))!;
        var executable = (string?)hostJson["customHandler"]?["description"]?["defaultExecutablePath"];

        Assert.False(string.IsNullOrEmpty(executable), "host.json has no customHandler.description.defaultExecutablePath");
        var path = Path.Combine(app.Root, executable);
        Assert.True(File.Exists(path), $"defaultExecutablePath '{executable}' is not in the app root");
        Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute),
            $"'{executable}' lacks the owner execute bit: the host could not start it from a read-only package");
    }

    [Fact]
    public void EveryFunctionFolder_IsPublishedAtTheRoot_WithValidFunctionJson()
    {
        var names = Directory.GetDirectories(RepoPaths.FunctionsFolder).Select(Path.GetFileName).ToList();
        Assert.NotEmpty(names);

        foreach (var name in names)
        {
            var published = Path.Combine(app.Root, name!, "function.json");
            Assert.True(File.Exists(published), $"{name}/function.json is missing from the app root: the host would not know function {name}");
            using var document = JsonDocument.Parse(File.ReadAllText(published));
            Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("bindings").ValueKind);
        }
    }

    [Fact]
    public void FunctionsSourceFolder_IsNotPublished()
    {
        // The host looks for <Name>/function.json one level below host.json only; Functions/<Name> would be ignored.
        Assert.False(Directory.Exists(Path.Combine(app.Root, "Functions")), "a Functions/ folder was published");
    }

    [Fact]
    public void LocalOnlyFiles_AreNotPublished()
    {
        var shipped = Directory.EnumerateFiles(app.Root, "*", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.DoesNotContain("local.settings.json", shipped);
        Assert.DoesNotContain("local.settings.sample.json", shipped);
        Assert.DoesNotContain("appsettings.Development.json", shipped);
        Assert.DoesNotContain("launchSettings.json", shipped);
        Assert.DoesNotContain("web.config", shipped);
    }

    [Fact]
    public void App_IsSelfContainedAndReadyToRun()
    {
        // Flex has no .NET runtime for a custom handler: the runtime ships with the app.
        Assert.True(File.Exists(Path.Combine(app.Root, "libcoreclr.so")), "no linux-x64 runtime in the app root: the publish is not self-contained");
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Root, "FunctionsIvr.runtimeconfig.json")))!;
        Assert.NotNull(runtimeConfig["runtimeOptions"]?["includedFrameworks"]);
        Assert.Equal(true, (bool?)runtimeConfig["runtimeOptions"]?["configProperties"]?["System.Globalization.Invariant"]);

        // ReadyToRun code sits behind the managed native header; a JIT-only assembly has none.
        using var stream = File.OpenRead(Path.Combine(app.Root, "FunctionsIvr.dll"));
        using var pe = new PEReader(stream);
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "FunctionsIvr.dll is not ReadyToRun compiled");
    }

    [Fact]
    public async Task Handler_StartedLikeTheFunctionsHost_AnswersTheHostPing()
    {
        await using var handler = HandlerProcess.Start(app.Root, MinimalAppSettings());

        using var answer = await handler.WaitForFirstAnswerAsync();

        Assert.True(answer is not null,
            $"the handler never answered GET / on FUNCTIONS_CUSTOMHANDLER_PORT; the host would give up and restart it. Output:\n{handler.Output}");
        Assert.True((int)answer.StatusCode < 500, $"GET / answered {(int)answer.StatusCode}. Output:\n{handler.Output}");
    }

    [Fact]
    public async Task IvrRoute_ForwardedCallbackWithWrongHash_Answers403()
    {
        await using var handler = HandlerProcess.Start(app.Root, MinimalAppSettings());
        using var ready = await handler.WaitForFirstAnswerAsync();
        Assert.True(ready is not null, $"the handler never answered GET /. Output:\n{handler.Output}");

        // With enableForwardingHttpRequest the host sends the PBX's request to its original path: /<routePrefix>/<route>.
        using var callback = new StringContent(
            """{"request":{"FromNumber":"48123456789","ToNumber":"48221234567","ChannelStatus":"Connected","UniqueCallId":"publish-smoke-1","Hash":"not-the-hash","Event":{"EventName":"Connected","EventData":""},"Session":null}}""",
            Encoding.UTF8, "application/json");
        using var response = await handler.Client.PostAsync(new Uri(ForwardedPath(IvrCallbackFunction), UriKind.Relative), callback);

        Assert.True(response.StatusCode == HttpStatusCode.Forbidden,
            $"POST {ForwardedPath(IvrCallbackFunction)} with a wrong Hash answered {(int)response.StatusCode}, expected 403. Output:\n{handler.Output}");
    }

    [Fact]
    public async Task EveryPublishedFunction_InvokedLikeTheHost_AnswersItsContract()
    {
        // Every folder with a function.json in the package, so a function added later is smoke-tested too.
        var functions = Directory.GetDirectories(app.Root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d)!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(functions.Count >= 6, $"only {functions.Count} function folders in the app root: {string.Join(", ", functions)}");

        using var erp = DemoErpServer.Start();
        await using var handler = HandlerProcess.Start(app.Root, MinimalAppSettings(erp.BaseUrl));
        using var ready = await handler.WaitForFirstAnswerAsync();
        Assert.True(ready is not null, $"the handler never answered GET /. Output:\n{handler.Output}");

        foreach (var function in functions)
        {
            var trigger = TriggerType(function);
            switch (trigger)
            {
                case "httpTrigger" when function == FunctionsIvr.Functions.FunctionNames.IvrCallback:
                    await AssertForwardedIvrCallbackAsync(handler, function);
                    break;
                case "httpTrigger":
                    await AssertProtectedPageAsync(handler, function);
                    break;
                case "serviceBusTrigger":
                    await AssertServiceBusFunctionAsync(handler, function);
                    break;
                case "timerTrigger":
                    await AssertTimerFunctionAsync(handler, function);
                    break;
                default:
                    Assert.Fail($"{function} has a {trigger} trigger, which this smoke test does not know how to invoke: add a case for it.");
                    break;
            }
        }
    }

    /// <summary>The agent and support pages: reachable through the forwarded route, and closed without a token.</summary>
    private async Task AssertProtectedPageAsync(HandlerProcess handler, string function)
    {
        var path = ForwardedPath(function).Replace("{login}", "agent_default", StringComparison.Ordinal)
            .Replace("{id}", "publish-smoke-2", StringComparison.Ordinal);
        using var response = await handler.Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden,
            $"{function}: GET {path} without a token answered {(int)response.StatusCode}. Output:\n{handler.Output}");
    }

    private async Task AssertForwardedIvrCallbackAsync(HandlerProcess handler, string function)
    {
        var path = new Uri(ForwardedPath(function), UriKind.Relative);

        // A known demo caller, so the answer comes out of the ERP; if it were unreachable the fallback must still be an action.
        using (var response = await handler.Client.PostAsync(path, IvrCallback("publish-smoke-2", SmokeHash)))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK,
                $"{function}: a callback with the right Hash answered {(int)response.StatusCode}: {body}. Output:\n{handler.Output}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var type = (string?)JsonNode.Parse(body)?["Action"]?["Type"];
            Assert.True(type is not null && IvrActionTypes.All.Contains(type), $"{function}: the answer is not a valid IVR action: {body}");
        }

        using (var response = await handler.Client.PostAsync(path, IvrCallback("publish-smoke-3", "not-the-hash")))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden,
                $"{function}: a callback with a wrong Hash answered {(int)response.StatusCode}, expected 403");
        }
    }

    private static async Task AssertServiceBusFunctionAsync(HandlerProcess handler, string function)
    {
        if (function == FunctionNames.HandleDeadLetters)
        {
            // A dead-lettered commit, as Service Bus forwards it: it becomes an escalation and completes.
            var deadLetter = await InvokeAsync(handler, function, ServiceBusPayload(function,
                body: """{"transactionId":"tx-smoke-1"}""", subject: "CommitOrder",
                applicationProperties: """{ "DeadLetterReason": "MaxDeliveryCountExceeded", "DeadLetterErrorDescription": "10 delivery attempts" }"""));
            Assert.True(deadLetter.Status == HttpStatusCode.OK, $"{function}: a well-formed dead letter answered {(int)deadLetter.Status}: {deadLetter.Body}");
        }
        else
        {
            // A body the processor cannot read must fail the invocation, so Service Bus redelivers and finally dead-letters.
            var malformed = await InvokeAsync(handler, function, ServiceBusPayload(function, body: "not json at all", subject: function));
            // 500 (processing failed), not 400 (payload unreadable): the message got as far as its processor.
            Assert.True(malformed.Status == HttpStatusCode.InternalServerError,
                $"{function}: a malformed message answered {(int)malformed.Status}, expected 500 so Service Bus redelivers it: {malformed.Body}");
        }

        // Not an invocation of this function at all (its binding is missing): never a 2xx.
        var unreadable = await InvokeAsync(handler, function, """{"Data":{},"Metadata":{}}""");
        Assert.True(unreadable.Status == HttpStatusCode.BadRequest, $"{function}: a payload without its binding answered {(int)unreadable.Status}: {unreadable.Body}");
    }

    private static async Task AssertTimerFunctionAsync(HandlerProcess handler, string function)
    {
        var payload = $$"""
            { "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": null, "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "{{function}}", "UtcNow": "2026-11-21T23:50:00Z", "RandGuid": "{{Guid.NewGuid()}}" } } }
            """;
        var result = await InvokeAsync(handler, function, payload);
        Assert.True(result.Status == HttpStatusCode.OK, $"{function}: a timer invocation answered {(int)result.Status}: {result.Body}");
    }

    /// <summary>Posts an invocation payload the way the host does and checks the answer is one the host can read.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> InvokeAsync(HandlerProcess handler, string function, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/" + function, UriKind.Relative))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.0");
        using var response = await handler.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        // The host reads every answer, failed ones too, as {Outputs, Logs, ReturnValue}; anything else hangs or fails it.
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json",
            $"POST /{function} answered {(int)response.StatusCode} as '{response.Content.Headers.ContentType}', not application/json: {body}. Output:\n{handler.Output}");
        var result = JsonNode.Parse(body)?.AsObject();
        Assert.True(result is not null && result.ContainsKey("Outputs") && result.ContainsKey("Logs") && result.ContainsKey("ReturnValue"),
            $"POST /{function} answered {(int)response.StatusCode} without Outputs/Logs/ReturnValue: {body}");
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(body).RootElement.GetProperty("Logs").ValueKind);
        return (response.StatusCode, body);
    }

    /// <summary>A Service Bus trigger payload as extension 5 sends it: body double-encoded, scalars JSON-encoded.</summary>
    private static string ServiceBusPayload(string function, string body, string subject, string applicationProperties = "{}")
    {
        var encodedBody = JsonSerializer.Serialize(JsonSerializer.Serialize(body));
        var messageId = Guid.NewGuid().ToString("N");
        return $$"""
            { "Data": { "msg": {{encodedBody}} },
              "Metadata": { "DeliveryCount": "1", "SequenceNumber": "7", "MessageId": "\"{{messageId}}\"",
                "ContentType": "\"application/json\"", "Subject": "\"{{subject}}\"", "CorrelationId": "\"publish-smoke-call\"",
                "EnqueuedTimeUtc": "2026-11-21T23:50:00", "EnqueuedTime": "2026-11-21T23:50:00+00:00",
                "ApplicationProperties": {{applicationProperties}}, "UserProperties": {{applicationProperties}},
                "MessageActions": {}, "Client": { "FullyQualifiedNamespace": "ns.servicebus.windows.net", "IsClosed": false },
                "sys": { "MethodName": "{{function}}", "UtcNow": "2026-11-21T23:50:01Z", "RandGuid": "{{Guid.NewGuid()}}" } } }
            """;
    }

    private static StringContent IvrCallback(string callId, string hash) => new(
        $$$"""{"request":{"FromNumber":"48600100200","ToNumber":"48221234567","ChannelStatus":"Connected","UniqueCallId":"{{{callId}}}","Hash":"{{{hash}}}","Event":{"EventName":"Connected","EventData":""},"Session":null}}""",
        Encoding.UTF8, "application/json");

    private string TriggerType(string function) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(app.Root, function, "function.json")))!["bindings"]!.AsArray()
            .Select(b => (string?)b!["type"] ?? "")
            .SingleOrDefault(t => t.EndsWith("Trigger", StringComparison.Ordinal)) ?? "(no trigger)";

    private const string SmokeHash = "publish-smoke-hash";

    /// <summary>What a deployed app gets from its app settings before it can start (the rest have local defaults).</summary>
    private static Dictionary<string, string> MinimalAppSettings(Uri? erp = null) => new()
    {
        ["Ivr__Hash"] = SmokeHash,
        ["Ivr__SessionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        // Without an ERP only callbacks that fail the Hash check are safe to send; with one, the DemoErp.
        ["Erp__BaseUrl"] = erp?.ToString() ?? "http://127.0.0.1:9",
        ["Erp__ApiKey"] = DemoErpServer.ApiKey,
    };

    private string ForwardedPath(string functionName)
    {
        var hostJson = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Root, "host.json")))!;
        var prefix = (string?)hostJson["extensions"]?["http"]?["routePrefix"] ?? "api";
        var trigger = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Root, functionName, "function.json")))!["bindings"]!
            .AsArray().Single(b => (string?)b!["type"] == "httpTrigger")!;
        var route = (string?)trigger["route"] ?? functionName;
        return "/" + string.Join('/', new[] { prefix, route }.Where(s => s.Length > 0));
    }
}
