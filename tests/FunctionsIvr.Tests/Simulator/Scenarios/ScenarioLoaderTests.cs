using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Tests.Simulator.Scenarios;

public class ScenarioLoaderTests
{
    [Fact]
    public void Parse_FullScenario_ReadsEveryField()
    {
        var scenario = ScenarioLoader.Parse("""
            name: Agent busy
            description: the agent is busy
            from: "48500100100"
            to: "48221234567"
            hash: s3cr3t
            encoding: form
            budgetMs: 800
            exchanges:
              - expect: { type: Answer }
                optional: true
              - expect:
                  type: GetDTMF
                  prompt: main_menu
                  step: menu
                  params: { Timeout: "5000", MaxDigits: 1 }
                  session: { tries: 1, data: { key: [a, b] } }
                digits: ""
              - expect: { type: CallByObjectLogin, destination: agent_default, options: "RingTones,PlayCallStatus,Timeout=15" }
                status: noanswer
                error: { no: 4, msg: no SIP account }
              - repeat: true
              - expect: { type: SayNumber, say: "1250" }
              - expect: { type: Hangup }
                end: true
            """);

        Assert.Equal("Agent busy", scenario.Name);
        Assert.Equal("48500100100", scenario.From);
        Assert.Equal("s3cr3t", scenario.Hash);
        Assert.Equal(CallbackEncoding.Form, scenario.Encoding);
        Assert.Equal(TimeSpan.FromMilliseconds(800), scenario.Budget);
        Assert.Equal(6, scenario.Exchanges.Count);
        Assert.True(scenario.Exchanges[0].Optional);
        var menu = scenario.Exchanges[1];
        Assert.Equal("", menu.Digits);
        Assert.Equal("main_menu", menu.Expect!.Prompt);
        Assert.Equal("1", menu.Expect.Parameters["MaxDigits"]);
        Assert.Equal("menu", menu.Expect.Session!["step"]);
        Assert.Equal("1", menu.Expect.Session["tries"]);
        var dial = scenario.Exchanges[2];
        Assert.Equal(CallStatuses.Noanswer, dial.Status);
        Assert.Equal(new PlatformError("4", "no SIP account"), dial.Error);
        Assert.True(scenario.Exchanges[3].Repeat);
        Assert.Equal("1250", scenario.Exchanges[4].Expect!.Say);
        Assert.True(scenario.Exchanges[5].End);
    }

    [Fact]
    public void Parse_NoName_UsesTheFileName()
    {
        var scenario = ScenarioLoader.Parse("exchanges:\n  - expect: { type: Hangup }\n    end: true\n", "/x/hangs-up.yaml", "hangs-up");

        Assert.Equal("hangs-up", scenario.Name);
    }

    [Theory]
    [InlineData("exchanges: []", "at least one entry under 'exchanges'")]
    [InlineData("name: x", "at least one entry under 'exchanges'")]
    [InlineData("exchanges:\n  - expect: { typ: Play }", "line 2, column 15: unknown key 'typ' in 'expect'; known keys: type, prompt, destination, options, say, step, params, session, http")]
    [InlineData("exchanges:\n  - { expect: { type: Play }, digit: \"1\" }", "unknown key 'digit' in an exchange; known keys: expect, optional, digits, status, error, repeat, end")]
    [InlineData("budget: 3\nexchanges: []", "unknown key 'budget' in the scenario")]
    [InlineData("exchanges:\n  - {}", "exchange 1 is empty")]
    [InlineData("exchanges:\n  - { digits: \"1\", status: Busy }", "has both digits and status")]
    [InlineData("exchanges:\n  - { digits: \"1a\" }", "digits '1a' may hold only 0-9, * and #")]
    [InlineData("exchanges:\n  - { status: Ringing }", "status 'Ringing' is not one of Answer, Busy, Noanswer, Cancel, Error")]
    [InlineData("exchanges:\n  - { repeat: true, digits: \"1\" }", "'repeat: true' sends the previous callback unchanged")]
    [InlineData("exchanges:\n  - { end: true }\n  - { expect: { type: Play } }", "'end: true' must be on the last exchange")]
    [InlineData("exchanges:\n  - { end: true, status: Busy }", "'end: true' means nothing more is sent")]
    [InlineData("exchanges:\n  - { optional: true, digits: \"1\" }", "'optional: true' needs an 'expect'")]
    [InlineData("exchanges:\n  - expect: { type: hangup }", "type 'hangup' is spelled 'Hangup' by the platform")]
    [InlineData("exchanges:\n  - expect: { type: Transfer }", "type 'Transfer' is not an action")]
    [InlineData("exchanges:\n  - expect: { http: 403, type: Hangup }", "an 'http' expectation checks the status only")]
    [InlineData("exchanges:\n  - { expect: { http: 403 }, optional: true }", "an HTTP status expectation cannot be optional")]
    [InlineData("exchanges:\n  - { error: { msg: oops } }", "error needs 'no'")]
    [InlineData("encoding: xml\nexchanges:\n  - expect: { type: Hangup }", "encoding 'xml' is not one of json, form, bare")]
    [InlineData("budgetMs: 0\nexchanges:\n  - expect: { type: Hangup }", "budgetMs must be a positive number")]
    [InlineData("exchanges:\n  - expect: { step: a, session: { step: b } }", "'step' and 'session.step' disagree")]
    [InlineData("exchanges: [", "While parsing")]
    [InlineData("", "the file is empty")]
    public void Parse_InvalidScenario_SaysWhatToFix(string yaml, string expected)
    {
        var error = Assert.Throws<ScenarioFormatException>(() => ScenarioLoader.Parse(yaml, "bad.yaml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("bad.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFolder_UnreadableFile_IsReportedNextToGoodOnes()
    {
        var folder = Directory.CreateTempSubdirectory("scenarios-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "a-good.yaml"), "exchanges:\n  - expect: { type: Hangup }\n");
            File.WriteAllText(Path.Combine(folder.FullName, "b-bad.yml"), "exchanges: []\n");
            File.WriteAllText(Path.Combine(folder.FullName, "README.md"), "# not a scenario\n");

            var files = ScenarioLoader.LoadFolder(folder.FullName);

            Assert.Equal(["a-good.yaml", "b-bad.yml"], files.Select(f => Path.GetFileName(f.Path)));
            Assert.NotNull(files[0].Scenario);
            Assert.Contains("at least one entry", files[1].Error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadFolder_ScenariosInSubfolders_AreFoundInPathOrder()
    {
        var folder = Directory.CreateTempSubdirectory("scenarios-");
        try
        {
            var orders = Directory.CreateDirectory(Path.Combine(folder.FullName, "orders"));
            var deep = Directory.CreateDirectory(Path.Combine(folder.FullName, "foundation", "encodings"));
            const string scenario = "exchanges:\n  - expect: { type: Hangup }\n";
            File.WriteAllText(Path.Combine(orders.FullName, "01-status.yaml"), scenario);
            File.WriteAllText(Path.Combine(deep.FullName, "form.yml"), scenario);
            File.WriteAllText(Path.Combine(folder.FullName, "top.yaml"), scenario);
            File.WriteAllText(Path.Combine(orders.FullName, "notes.txt"), "not a scenario");

            var files = ScenarioLoader.LoadFolder(folder.FullName);

            Assert.Equal(["foundation/encodings/form.yml", "orders/01-status.yaml", "top.yaml"],
                files.Select(f => Path.GetRelativePath(folder.FullName, f.Path).Replace('\\', '/')));
            Assert.All(files, f => Assert.NotNull(f.Scenario));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void LoadFolder_ShippedScenarios_AllReadAndNameOnlyMappedPrompts()
    {
        var prompts = PromptMap.Load(RepositoryFiles.PathOf(PromptMap.DefaultRelativePath));

        var files = ScenarioLoader.LoadFolder(RepositoryFiles.PathOf("scenarios"));

        Assert.True(files.Count >= 20, $"only {files.Count} scenario files under scenarios/");
        Assert.All(files, f => Assert.True(f.Error is null, f.Error));
        var named = files.SelectMany(f => f.Scenario!.Exchanges).Select(e => e.Expect?.Prompt)
            .OfType<string>().Where(p => !p.All(char.IsAsciiDigit));
        Assert.All(named, p => Assert.True(prompts.NumberOf(p) is not null, $"prompt '{p}' is not in the app's prompts map"));
    }

    [Fact]
    public void LoadFolder_FoundationScenarios_AllReadAndUseOnlyAgreedPromptsAndDestinations()
    {
        var files = ScenarioLoader.LoadFolder(RepositoryFiles.PathOf("tests/FunctionsIvr.Tests/Simulator/Scenarios/FoundationSpec"));

        Assert.True(files.Count >= 5);
        Assert.All(files, f => Assert.Null(f.Error));
        var expectations = files.SelectMany(f => f.Scenario!.Exchanges).Select(e => e.Expect).OfType<ScenarioExpectation>().ToList();
        Assert.All(expectations.Where(e => e.Prompt is not null),
            e => Assert.Contains(e.Prompt, (string[])["welcome", "main_menu", "menu_retry", "sorry_unavailable", "apology"]));
        Assert.All(expectations.Where(e => e.Destination is not null),
            e => Assert.Contains(e.Destination, (string[])["agent_default", "kolejka_sprzedaz"]));
    }

    [Fact]
    public void Parse_ExamplesInTheScenarioDocs_AreValidScenarios()
    {
        var markdown = File.ReadAllText(RepositoryFiles.PathOf("docs/scenarios.md"));
        var examples = markdown.Split("```yaml\n").Skip(1).Select(block => block[..block.IndexOf("```", StringComparison.Ordinal)]).ToList();

        Assert.Equal(2, examples.Count);
        Assert.All(examples, yaml => Assert.NotEmpty(ScenarioLoader.Parse(yaml, "docs/scenarios.md").Exchanges));
    }
}
