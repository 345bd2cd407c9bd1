using FunctionsIvr.Simulator.Load;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;
using FunctionsIvr.Tests.Simulator;

namespace FunctionsIvr.Tests.Scenarios;

/// <summary>
/// The load mix (scenarios/load) as <c>scripts/load.sh</c> plays it, in small: paced concurrent calls through the
/// simulator's load mode against the real handler and the DemoErp with larger stock, then the ERP check that every
/// order a caller heard accepted was committed exactly once.
/// </summary>
[Collection(ScenarioSuiteCollection.Name)]
public sealed class LoadMixTests
{
    private static readonly PromptMap Prompts = PromptMap.Load(RepositoryFiles.PathOf(PromptMap.DefaultRelativePath));

    [Fact]
    public async Task LoadMix_ConcurrentPacedCalls_AllAsScriptedAndEveryAcceptedOrderCommittedExactlyOnce()
    {
        await using var system = await LiveSystem.StartAsync(new Dictionary<string, string?> { ["DemoErp:StockMultiplier"] = "100" });
        var scenarios = ScenarioLoader.LoadFolder(RepositoryFiles.PathOf("scenarios/load")).Select(f => f.Scenario!).ToList();
        var placing = scenarios.Count(s => s.Exchanges.Any(e => e.Expect?.Prompt == "order_accepted"));
        using var http = PlatformClient.CreateHttpClient();
        var settings = new CallSettings { Url = system.IvrUrl, Hash = LiveSystem.Hash, Budget = SimulatorParts.RelaxedBudget, MaxWait = TimeSpan.FromSeconds(60) };
        var runner = new LoadRunner(new PlatformClient(http, TimeProvider.System), new ResponseValidator(), Prompts, settings, TimeProvider.System);

        var report = await runner.RunAsync(new LoadOptions
        {
            Calls = 2 * scenarios.Count,
            Concurrency = scenarios.Count,
            Scenarios = scenarios,
            AcceptedPrompt = Prompts.NumberOf("order_accepted"),
            Pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(20), Jitter = 0.5 },
        });
        var orders = await new ErpOrderCheck(http, new OrderCheckOptions
        {
            ErpUrl = system.ErpUrl,
            ApiKey = LiveSystem.ErpApiKey,
            DrainTimeout = TimeSpan.FromSeconds(90),
            Settle = TimeSpan.FromSeconds(60),
            PollInterval = TimeSpan.FromMilliseconds(100),
        }, TimeProvider.System).RunAsync(report.AcceptedByCall);

        Assert.True(report.Clean, string.Join("\n", report.TopProblems));
        Assert.Equal(2 * scenarios.Count, report.CompletedCalls);
        Assert.True(placing >= 3, "the mix should place orders through several callers and flows");
        Assert.Equal(2 * placing, report.OrdersAccepted);
        Assert.True(orders.Passed, orders.Verdict);
        Assert.True(orders.Drained);
        Assert.Equal(2 * placing, orders.CommittedExactlyOnce);
    }
}
