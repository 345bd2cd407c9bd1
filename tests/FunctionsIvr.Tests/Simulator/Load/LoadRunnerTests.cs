using FunctionsIvr.Simulator.Load;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Tests.Simulator.Load;

public class LoadRunnerTests
{
    [Fact]
    public async Task Run_RandomWalksAgainstASoundFlow_AllCallsEndCleanly()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 20, Concurrency = 4, Seed = 7 });

        Assert.Equal(20, report.Calls);
        Assert.Equal(20, report.CompletedCalls);
        Assert.Equal(webhook.Received.Count, report.Callbacks);
        Assert.Equal(20, webhook.Received.Select(r => r.UniqueCallId).Distinct().Count());
        Assert.Equal(0, report.InvalidAnswers);
        Assert.Equal(0, report.Errors);
        Assert.Equal(0, report.BudgetOverruns);
        Assert.True(report.Clean);
        Assert.True(report.P50 <= report.P99 && report.P99 <= report.Max);
        Assert.True(report.Max > TimeSpan.Zero);
    }

    [Fact]
    public async Task Run_Scenario_EveryCallFollowsIt()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var scenario = ScenarioLoader.LoadFile(RepositoryFiles.PathOf("tests/FunctionsIvr.Tests/Simulator/Scenarios/FoundationSpec/02-key-0-agent-answers.yaml"));

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 6, Concurrency = 3, Scenarios = [scenario] });

        Assert.Equal(6, report.CompletedCalls);
        Assert.Equal(6 * 4, report.Callbacks);
        Assert.Equal(6, webhook.Received.Count(r => r.EventData == "0"));
        Assert.True(report.Clean);
    }

    [Fact]
    public async Task Run_AppThatSometimesBreaksTheProtocol_CountsInvalidAnswers()
    {
        var flow = new FoundationFlow();
        await using var webhook = await FakeWebhook.StartAsync(r => r.Step == "welcome"
            ? new FakeReply(Body: """{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":5000,"MaxDigits":"1"}}""")
            : flow.Respond(r));

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 5, Concurrency = 5 });

        Assert.Equal(5, report.InvalidAnswers);
        Assert.Equal(0, report.CompletedCalls);
        Assert.False(report.Clean);
        Assert.Equal(("Timeout must be a JSON string, got number 5000", 5), Assert.Single(report.TopProblems));
    }

    [Fact]
    public async Task Run_ScenarioMismatch_IsCountedAsAnError()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow { WrongGoodbyePrompt = true }.Respond);
        var scenario = ScenarioLoader.LoadFile(RepositoryFiles.PathOf("tests/FunctionsIvr.Tests/Simulator/Scenarios/FoundationSpec/01-menu-timeouts-nobody-available.yaml"));

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 3, Concurrency = 3, Scenarios = [scenario] });

        Assert.Equal(3, report.Errors);
        Assert.Equal(0, report.InvalidAnswers);
        Assert.StartsWith("scenario: got ▶ Play prompt 8 (apology)", Assert.Single(report.TopProblems).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CallThatNeverEnds_IsStoppedAndCountedAsAnError()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Play("1"));

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 2, Concurrency = 2, MaxCallbacksPerCall = 5 });

        Assert.Equal(10, report.Callbacks);
        Assert.Equal(2, report.Errors);
        Assert.Equal(("the call did not end within 5 callbacks", 2), Assert.Single(report.TopProblems));
    }

    [Fact]
    public async Task Run_NoAppListening_CountsErrorsNotLatencies()
    {
        FakeWebhook stopped = await FakeWebhook.StartAsync(_ => FakeReply.Hangup());
        var url = stopped.Url;
        await stopped.DisposeAsync();
        var settings = new CallSettings { Url = url, Budget = SimulatorParts.RelaxedBudget };
        var runner = new LoadRunner(SimulatorParts.Client(), new ResponseValidator(), FoundationFlow.Prompts, settings, TimeProvider.System);

        var report = await runner.RunAsync(new LoadOptions { Calls = 2, Concurrency = 1 });

        Assert.Equal(2, report.Errors);
        Assert.Equal(TimeSpan.Zero, report.P99);
    }

    [Fact]
    public void RandomInput_FollowsWhatTheActionCollects()
    {
        var random = new Random(3);
        var menu = new AnsweredAction("GetDTMF", [new("Prompt", "2"), new("Timeout", "5000"), new("MaxDigits", "1")]);
        var dial = new AnsweredAction("CallByObjectLogin", [new("Destination", "agent_default")]);
        var play = new AnsweredAction("Play", [new("Prompt", "1")]);

        var digits = Enumerable.Range(0, 200).Select(_ => LoadRunner.RandomInput(menu, random).Digits!).ToList();
        var statuses = Enumerable.Range(0, 200).Select(_ => LoadRunner.RandomInput(dial, random).Status!).ToHashSet();

        Assert.All(digits, d => Assert.True(d.Length <= 1 && d.All(char.IsAsciiDigit)));
        Assert.Contains("", digits);
        Assert.Equal(CallStatuses.All.ToHashSet(), statuses);
        Assert.Equal(CallInput.None, LoadRunner.RandomInput(play, random));
    }

    [Fact]
    public async Task Run_ScenarioWithThinkTime_CallerPausesBeforeEveryCallbackButTheFirst()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var scenario = ScenarioLoader.LoadFile(RepositoryFiles.PathOf("tests/FunctionsIvr.Tests/Simulator/Scenarios/FoundationSpec/02-key-0-agent-answers.yaml"));
        var time = new InstantTimeProvider();
        var pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(1000), Jitter = 0.5 };

        var report = await Runner(webhook, time).RunAsync(new LoadOptions { Calls = 3, Concurrency = 3, Scenarios = [scenario], Pacing = pacing });

        Assert.True(report.Clean);
        Assert.Equal(3 * 4, report.Callbacks);
        Assert.Equal(3 * 3, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.InRange(d.TotalMilliseconds, 500, 1500));
    }

    [Fact]
    public async Task Run_RandomWalksWithThinkTime_PausesAsOftenAsCallbacksFollowAnAnswer()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var time = new InstantTimeProvider();
        var pacing = new CallerPacing { Think = TimeSpan.FromMilliseconds(3000) };

        var report = await Runner(webhook, time).RunAsync(new LoadOptions { Calls = 5, Concurrency = 2, Seed = 4, Pacing = pacing });

        Assert.Equal(report.Callbacks - report.Calls, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.Equal(TimeSpan.FromMilliseconds(3000), d));
    }

    [Fact]
    public async Task Run_NoPacing_NeverWaits()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var time = new InstantTimeProvider();

        var report = await Runner(webhook, time).RunAsync(new LoadOptions { Calls = 4, Concurrency = 2 });

        Assert.True(report.Clean);
        Assert.Empty(time.Delays);
    }

    [Fact]
    public async Task Run_ScenariosInTurn_CountsOrdersAcceptedCallByCallButNotPlatformRetries()
    {
        await using var webhook = await FakeWebhook.StartAsync(OrderingFlow);
        var ordering = ScenarioLoader.Parse("""
            name: orders
            from: "111"
            exchanges:
              - repeat: true                        # the Connected callback again: "accepted" played twice, heard once
              - expect: { type: Play, prompt: "50" }
              - expect: { type: GetDTMF, prompt: "2" }
            """);
        var browsing = ScenarioLoader.Parse("""
            name: browses
            from: "222"
            exchanges:
              - expect: { type: Play, prompt: "1" }
              - expect: { type: Hangup }
                end: true
            """);

        var report = await Runner(webhook).RunAsync(new LoadOptions
        {
            Calls = 6, Concurrency = 3, Scenarios = [ordering, browsing], AcceptedPrompt = "50",
        });

        Assert.True(report.Clean, string.Join("; ", report.TopProblems));
        Assert.Equal(3, report.OrdersAccepted);
        Assert.Equal(webhook.Received.Select(r => r.UniqueCallId).ToHashSet(), report.AcceptedByCall.Keys.ToHashSet());
        var orderingCalls = webhook.Received.Where(r => r.Request.GetProperty("FromNumber").GetString() == "111").Select(r => r.UniqueCallId).ToHashSet();
        Assert.All(report.AcceptedByCall, c => Assert.Equal(orderingCalls.Contains(c.Key) ? 1 : 0, c.Value));
        Assert.Equal([new ScenarioLoad("orders", 3, 3, 3), new ScenarioLoad("browses", 3, 3, 0)], report.ByScenario);
    }

    [Fact]
    public async Task Run_AcceptedPromptNotGiven_CountsNoOrders()
    {
        await using var webhook = await FakeWebhook.StartAsync(OrderingFlow);
        var ordering = ScenarioLoader.Parse("""
            from: "111"
            exchanges:
              - expect: { type: Play, prompt: "50" }
            """);

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 2, Concurrency = 2, Scenarios = [ordering] });

        Assert.Equal(0, report.OrdersAccepted);
        Assert.All(report.AcceptedByCall.Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public async Task Run_CallsHeldOpenByTheApp_PeakConcurrentCallsIsTheConcurrency()
    {
        using var allConnected = new CountdownEvent(4);
        await using var webhook = await FakeWebhook.StartAsync(r =>
        {
            if (r.EventName == "Connected")
            {
                // The first four calls are answered only once all four are in progress; later calls pass straight through.
                if (!allConnected.IsSet) allConnected.Signal();
                allConnected.Wait(TimeSpan.FromSeconds(30));
            }

            return FakeReply.Hangup();
        });

        var report = await Runner(webhook).RunAsync(new LoadOptions { Calls = 8, Concurrency = 4 });

        Assert.Equal(4, report.PeakConcurrentCalls);
        Assert.Equal(8, report.CompletedCalls);
    }

    private static FakeReply OrderingFlow(ReceivedCallback callback) =>
        (callback.Request.GetProperty("FromNumber").GetString(), callback.Step) switch
        {
            ("111", null) => FakeReply.Play("50", """{"step":"accepted"}"""),
            ("111", _) => FakeReply.Action("""{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"1"}""", """{"step":"menu"}"""),
            (_, null) => FakeReply.Play("1", """{"step":"welcome"}"""),
            _ => FakeReply.Hangup(),
        };

    private static LoadRunner Runner(FakeWebhook webhook, TimeProvider? time = null) =>
        new(SimulatorParts.Client(), new ResponseValidator(), FoundationFlow.Prompts, SimulatorParts.Settings(webhook), time ?? TimeProvider.System);
}
