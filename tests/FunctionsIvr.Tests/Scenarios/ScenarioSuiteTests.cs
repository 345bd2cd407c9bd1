using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Simulator;
using FunctionsIvr.Work.InProcess;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Scenarios;

/// <summary>
/// The shipped scenario files (scenarios/&lt;area&gt;/*.yaml) played by the simulator against the real handler and the
/// DemoErp, both on real sockets: what <c>run-scenarios scenarios</c> does against <c>scripts/run-local.sh</c>.
/// </summary>
[Collection(ScenarioSuiteCollection.Name)]
public sealed class ScenarioSuiteTests
{
    /// <summary>Generous: a loaded 2-core machine must not turn a correct answer into an overrun.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = PlatformClient.CreateHttpClient();

    private static readonly PromptMap Prompts = PromptMap.Load(RepositoryFiles.PathOf(PromptMap.DefaultRelativePath));

    public static TheoryData<string> Areas()
    {
        var areas = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(RepositoryFiles.PathOf("scenarios")).Order(StringComparer.Ordinal))
        {
            areas.Add(Path.GetFileName(folder));
        }

        return areas;
    }

    [Theory]
    [MemberData(nameof(Areas))]
    public async Task ScenarioArea_AgainstHandlerAndDemoErp_EveryScenarioPasses(string area)
    {
        await using var system = await LiveSystem.StartAsync();
        var files = ScenarioLoader.LoadFolder(RepositoryFiles.PathOf(Path.Combine("scenarios", area)));
        Assert.NotEmpty(files);

        var failures = new List<string>();
        foreach (var file in files)
        {
            if (file.Scenario is null)
            {
                failures.Add($"{file.Path}: {file.Error}");
                continue;
            }

            var result = await Runner(system).RunAsync(file.Scenario);
            if (!result.Passed) failures.Add(Report(result));
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>The handler as it runs here and in Azure hands no callback over to another thread (docs/performance.md).</summary>
    [Fact]
    public async Task Handler_RunsEachCallbackOnTheThreadThatReadIt()
    {
        await using var system = await LiveSystem.StartAsync();

        Assert.True(system.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }

    /// <summary>
    /// Every order the caller heard accepted (a reorder, one with its confirmation callback sent twice, a product ordered
    /// by its code) is one new order in the ERP, committed once by the out-of-band commit, and its outbox entry says so.
    /// </summary>
    [Fact]
    public async Task OrderScenarios_AcceptedOrders_AreCommittedExactlyOnceInTheErp()
    {
        await using var system = await LiveSystem.StartAsync();
        using var erp = system.ErpClient();
        var placing = ScenarioLoader.LoadFolder(RepositoryFiles.PathOf("scenarios/orders"))
            .Concat(ScenarioLoader.LoadFolder(RepositoryFiles.PathOf("scenarios/products")))
            .Select(f => f.Scenario!)
            .Where(s => s.Exchanges.Any(e => e.Expect?.Prompt == "order_accepted"))
            .ToList();
        Assert.True(placing.Count >= 3, "expected the reorder, the repeated-confirmation reorder and the product order scenarios");

        var ordersBefore = await OrderIdsAsync(erp);
        var accepted = new Dictionary<string, (string Name, string SaidDigits)>();
        foreach (var scenario in placing)
        {
            var callId = CallDriver.NewCallId();
            var result = await Runner(system).RunAsync(scenario, callId);
            Assert.True(result.Passed, Report(result));
            accepted[callId] = (scenario.Name, SaidOrderNumber(result));
        }

        await system.Services.GetRequiredService<InProcessWorkQueue>().WaitForIdleAsync(TimeSpan.FromSeconds(60));

        var newOrders = (await OrdersAsync(erp)).Where(o => !ordersBefore.Contains(o.GetProperty("id").GetString()!)).ToList();
        var outbox = await system.Services.GetRequiredService<IOutboxStore>()
            .ListAsync(Enum.GetValues<OutboxStatus>());
        foreach (var (callId, (name, saidDigits)) in accepted)
        {
            var orders = newOrders.Where(o => o.TryGetProperty("callId", out var c) && c.GetString() == callId).ToList();
            Assert.True(orders.Count == 1, $"{name}: {orders.Count} new orders in the ERP for the call, expected exactly 1");
            var entries = outbox.Where(e => e.CallId == callId).ToList();
            Assert.True(entries.Count == 1, $"{name}: {entries.Count} outbox entries for the call, expected exactly 1");
            Assert.Equal(OutboxStatus.Committed, entries[0].Status);
            Assert.Equal(entries[0].TransactionId, orders[0].GetProperty("transactionId").GetString());
            var number = orders[0].GetProperty("number").GetString()!;
            Assert.True(number.EndsWith(saidDigits, StringComparison.Ordinal), $"{name}: the caller heard {saidDigits}, the ERP order is {number}");
        }

        Assert.Equal(accepted.Count, newOrders.Count);
    }

    /// <summary>The digits said right after "order accepted".</summary>
    private static string SaidOrderNumber(ScenarioResult result)
    {
        var acceptedPrompt = Prompts.NumberOf("order_accepted");
        var actions = result.Exchanges.Where(e => !e.Repeated).Select(e => e.Action).OfType<AnsweredAction>().ToList();
        var at = actions.FindIndex(a => a.Type == ActionTypes.Play && a["Prompt"] == acceptedPrompt);
        Assert.True(at >= 0 && at + 1 < actions.Count && actions[at + 1].Type == "SayDigits", result.Scenario.Name + ": no order number after order_accepted");
        return actions[at + 1].Parameters.Single().Value;
    }

    private static ScenarioRunner Runner(LiveSystem system) =>
        new(new PlatformClient(Http, TimeProvider.System), new ResponseValidator(), Prompts, new CallSettings
        {
            Url = system.IvrUrl,
            Hash = LiveSystem.Hash,
            Budget = Budget,
            MaxWait = TimeSpan.FromSeconds(60),
        });

    private static async Task<HashSet<string>> OrderIdsAsync(HttpClient erp) =>
        (await OrdersAsync(erp)).Select(o => o.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);

    /// <summary>Every order of the demo callers who order in the scenarios (the regular customer).</summary>
    private static async Task<List<JsonElement>> OrdersAsync(HttpClient erp)
    {
        var page = await erp.GetFromJsonAsync<JsonElement>(new Uri("/orders?contactId=c-1001&pageSize=100", UriKind.Relative));
        return page.GetProperty("items").EnumerateArray().Select(o => o.Clone()).ToList();
    }

    /// <summary>The failure and the call as it went, callback by callback.</summary>
    private static string Report(ScenarioResult result)
    {
        var describer = new ActionDescriber(Prompts);
        var text = new StringBuilder()
            .Append(result.Scenario.SourcePath ?? result.Scenario.Name)
            .Append(": exchange ").Append(result.FailedExchange).Append(": ").AppendLine(result.Failure);
        foreach (var exchange in result.Exchanges)
        {
            text.Append("  ").Append(CallbackDescriber.Describe(exchange)).Append("  =>  ")
                .Append(exchange.Action is { } action ? describer.Describe(action) : $"HTTP {exchange.Http.StatusCode}")
                .Append("  ").AppendLine(exchange.Answer.Session?.GetRawText());
        }

        return text.ToString();
    }
}
