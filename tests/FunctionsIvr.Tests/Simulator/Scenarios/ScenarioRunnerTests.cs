using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Tests.Simulator.Scenarios;

public class ScenarioRunnerTests
{
    private const string KeyZeroAgentAnswers = """
        exchanges:
          - expect: { type: Play, prompt: welcome }
          - expect: { type: GetDTMF, prompt: main_menu }
            digits: "0"
          - expect: { type: CallByObjectLogin, destination: agent_default }
            status: Answer
          - expect: { type: Hangup }
            end: true
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Run_FoundationScenarios_PassAgainstAFlowThatFollowsTheSpec(bool answerFirst)
    {
        var flow = new FoundationFlow { AnswerFirst = answerFirst };
        await using var webhook = await FakeWebhook.StartAsync(flow.Respond);
        var runner = Runner(webhook);

        var results = new List<ScenarioResult>();
        foreach (var file in ScenarioLoader.LoadFolder(RepositoryFiles.PathOf("tests/FunctionsIvr.Tests/Simulator/Scenarios/FoundationSpec")))
        {
            results.Add(await runner.RunAsync(file.Scenario!));
        }

        Assert.All(results, r => Assert.True(r.Passed, r.Scenario.Name + ": " + r.Failure));
        Assert.Contains(webhook.Received, r => r.Shape == "form");
        Assert.Contains(webhook.Received, r => r.Shape == "bare");
        Assert.Contains(webhook.Received, r => r.Error is not null);
    }

    [Fact]
    public async Task Run_WrongPrompt_FailsNamingBothPrompts()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow { WrongGoodbyePrompt = true }.Respond);

        var result = await Runner(webhook).RunAsync(LoadFoundation("01-menu-timeouts-nobody-available.yaml"));

        Assert.False(result.Passed);
        Assert.Equal(ScenarioFailureKind.Expectation, result.FailureKind);
        Assert.Equal(8, result.FailedExchange);
        Assert.Equal("got ▶ Play prompt 8 (apology): prompt is 8 (apology), expected 9 (sorry_unavailable)", result.Failure);
    }

    [Fact]
    public async Task Run_NumericParameterInAnAnswer_FailsOnTheProtocol()
    {
        var flow = new FoundationFlow();
        await using var webhook = await FakeWebhook.StartAsync(r => r.Step == "welcome"
            ? new FakeReply(Body: """{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":5000,"MaxDigits":"1"}}""")
            : flow.Respond(r));

        var result = await Runner(webhook).RunAsync(ScenarioLoader.Parse(KeyZeroAgentAnswers));

        Assert.Equal(ScenarioFailureKind.Protocol, result.FailureKind);
        Assert.Equal(2, result.FailedExchange);
        Assert.Equal("answer to \"Play\" breaks the protocol: Timeout must be a JSON string, got number 5000", result.Failure);
    }

    [Fact]
    public async Task Run_HtmlErrorPage_FailsOnTheProtocol()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => new FakeReply(500, "text/html", "<h1>oops</h1>"));

        var result = await Runner(webhook).RunAsync(ScenarioLoader.Parse(KeyZeroAgentAnswers));

        Assert.Equal(ScenarioFailureKind.Protocol, result.FailureKind);
        Assert.Equal(1, result.FailedExchange);
        Assert.Contains("HTTP 500 (text/html: \"<h1>oops</h1>\")", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SlowAnswer_FailsOnTheBudget()
    {
        var flow = new FoundationFlow();
        await using var webhook = await FakeWebhook.StartAsync(r =>
            r.EventData == "0" ? flow.Respond(r) with { Delay = TimeSpan.FromMilliseconds(2500) } : flow.Respond(r));
        // A budget far above a loaded machine's normal answers, far below the slow one.
        var scenario = ScenarioLoader.Parse("budgetMs: 1000\n" + KeyZeroAgentAnswers);

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.Equal(ScenarioFailureKind.Budget, result.FailureKind);
        Assert.Equal(3, result.FailedExchange);
        Assert.Matches("^answer to \"GetDTMF: caller typed 0\" took [0-9]+ ms, over the 1000 ms budget$", result.Failure);
    }

    [Fact]
    public async Task Run_RepeatedCallbackGetsADifferentAnswer_Fails()
    {
        var served = 0;
        await using var webhook = await FakeWebhook.StartAsync(_ =>
            FakeReply.Play("1", $$"""{"step":"welcome","n":{{Interlocked.Increment(ref served)}}}"""));
        var scenario = ScenarioLoader.Parse("exchanges:\n  - repeat: true\n");

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.Equal(ScenarioFailureKind.Expectation, result.FailureKind);
        Assert.StartsWith("the same callback sent twice got different answers: first ▶ Play prompt 1 (welcome) {\"Action\"", result.Failure, StringComparison.Ordinal);
        Assert.Contains("\"n\":2", result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CallGoesOnWhereTheScenarioExpectsTheEnd_Fails()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var scenario = ScenarioLoader.Parse("exchanges:\n  - expect: { type: Play }\n    end: true\n");

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.Equal("expected the call to end, but ▶ Play prompt 1 (welcome) keeps it going", result.Failure);
    }

    [Fact]
    public async Task Run_CallEndsBeforeTheScenarioDoes_Fails()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup());
        var scenario = ScenarioLoader.Parse("exchanges:\n  - expect: { type: Hangup }\n  - expect: { type: Play }\n");

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.Equal(2, result.FailedExchange);
        Assert.Equal("the call ended (Hangup) but the scenario goes on", result.Failure);
    }

    [Theory]
    [InlineData("exchanges:\n  - expect: { type: Play }\n    digits: \"1\"\n  - expect: { type: Hangup }", "digits given, but the answer is Play, which collects none")]
    [InlineData("exchanges:\n  - expect: { type: Play }\n  - expect: { type: GetDTMF }\n  - expect: { type: Hangup }", "the answer is GetDTMF: say what the caller types")]
    [InlineData("exchanges:\n  - expect: { type: Play }\n  - expect: { type: GetDTMF }\n    status: Busy", "the answer is GetDTMF: it takes digits, not a call status")]
    public async Task Run_InputThatDoesNotFitTheAction_FailsAsScriptError(string yaml, string expected)
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);

        var result = await Runner(webhook).RunAsync(ScenarioLoader.Parse(yaml));

        Assert.Equal(ScenarioFailureKind.Script, result.FailureKind);
        Assert.StartsWith(expected, result.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongHashExpectingHttp403_Passes()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow { Hash = "s3cr3t" }.Respond);
        var scenario = ScenarioLoader.Parse("hash: wrong\nexchanges:\n  - expect: { http: 403 }\n    end: true\n");

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.True(result.Passed, result.Failure);
        Assert.Equal("wrong", Assert.Single(webhook.Received).Hash);
    }

    [Fact]
    public async Task Run_RightHashExpectingHttp403_Fails()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow { Hash = "s3cr3t" }.Respond);
        var scenario = ScenarioLoader.Parse("hash: s3cr3t\nexchanges:\n  - expect: { http: 403 }\n");

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.Equal("got ▶ Play prompt 1 (welcome): HTTP status is 200, expected 403", result.Failure);
    }

    [Fact]
    public async Task Run_SessionExpectation_MatchesKeysInAnyCasingAndNumbersAsText()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ =>
            FakeReply.Play("1", """{"Step":"welcome","Tries":2,"Vip":true,"Data":{"orders":["A1","B2"]}}"""));
        var passing = ScenarioLoader.Parse("""
            exchanges:
              - expect: { step: welcome, session: { tries: 2, vip: true, data: { orders: [A1, B2] } } }
            """);
        var failing = ScenarioLoader.Parse("""
            exchanges:
              - expect: { step: menu, session: { tries: "3", missing: x } }
            """);

        var pass = await Runner(webhook).RunAsync(passing);
        var fail = await Runner(webhook).RunAsync(failing);

        Assert.True(pass.Passed, pass.Failure);
        Assert.Contains("Session.step is \"welcome\", expected \"menu\"", fail.Failure, StringComparison.Ordinal);
        Assert.Contains("Session.tries is 2, expected \"3\"", fail.Failure, StringComparison.Ordinal);
        Assert.Contains("Session.missing is missing, expected \"x\"", fail.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PromptNameMissingFromTheMap_FailsSayingSo()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var scenario = ScenarioLoader.Parse("exchanges:\n  - expect: { type: Play, prompt: greeting }\n");

        var result = await Runner(webhook).RunAsync(scenario);

        Assert.Equal("got ▶ Play prompt 1 (welcome): prompt 'greeting' is not in the prompts map (none loaded; pass --prompts)", result.Failure);
    }

    [Fact]
    public async Task Run_ScenarioSettings_OverrideTheCommandLine()
    {
        await using var webhook = await FakeWebhook.StartAsync(new FoundationFlow().Respond);
        var scenario = ScenarioLoader.Parse("from: \"48500999888\"\nencoding: bare\nexchanges:\n  - expect: { type: Play }\n");

        await Runner(webhook).RunAsync(scenario);

        var received = Assert.Single(webhook.Received);
        Assert.Equal("bare", received.Shape);
        Assert.Equal("48500999888", received.Request.GetProperty("FromNumber").GetString());
    }

    private static ScenarioRunner Runner(FakeWebhook webhook) =>
        new(SimulatorParts.Client(), new ResponseValidator(), FoundationFlow.Prompts, SimulatorParts.Settings(webhook));

    private static Scenario LoadFoundation(string file) =>
        ScenarioLoader.LoadFile(RepositoryFiles.PathOf("tests/FunctionsIvr.Tests/Simulator/Scenarios/FoundationSpec/" + file));
}
