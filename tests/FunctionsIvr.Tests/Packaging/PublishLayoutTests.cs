using System.Net;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    /// <summary>What a deployed app gets from its app settings before it can start (the rest have local defaults).</summary>
    private static Dictionary<string, string> MinimalAppSettings() => new()
    {
        ["Ivr__Hash"] = "publish-smoke-hash",
        ["Ivr__SessionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        // The ERP is only reached by callbacks that pass the Hash; none here does.
        ["Erp__BaseUrl"] = "http://127.0.0.1:9",
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
