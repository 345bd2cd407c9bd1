using System.CommandLine;
using FunctionsIvr.Simulator.Cli;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Tests.Simulator.Cli;

public class LoadCommandOptionsTests
{
    private static readonly PromptMap Prompts = new([new("welcome", "1"), new("order_accepted", "16")]);

    [Fact]
    public void ReadOptions_NothingGiven_CallersPauseTwoSecondsHalfJitterNoRampUpAndOrderAcceptedIsCounted()
    {
        var (options, parse) = Parse("load");

        var run = options.ReadOptions(parse, [], Prompts);

        Assert.Equal(TimeSpan.FromMilliseconds(2000), run.Pacing.Think);
        Assert.Equal(0.5, run.Pacing.Jitter);
        Assert.Equal(TimeSpan.Zero, run.Pacing.RampUp);
        Assert.Equal("16", run.AcceptedPrompt);
        Assert.Equal(100, run.Calls);
        Assert.Equal(10, run.Concurrency);
        Assert.Null(options.ReadOrderCheck(parse));
    }

    [Fact]
    public void ReadOptions_PacingGiven_TakesIt()
    {
        var (options, parse) = Parse("load --calls 2000 --concurrency 1000 --think-ms 1500 --think-jitter 0.2 --ramp-up-ms 20000 --accepted-prompt 42");

        var run = options.ReadOptions(parse, [], Prompts);

        Assert.Equal((2000, 1000), (run.Calls, run.Concurrency));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), run.Pacing.Think);
        Assert.Equal(0.2, run.Pacing.Jitter);
        Assert.Equal(TimeSpan.FromSeconds(20), run.Pacing.RampUp);
        Assert.Equal("42", run.AcceptedPrompt);
    }

    [Fact]
    public void ReadOptions_ThinkZero_IsBackToBack()
    {
        var (options, parse) = Parse("load --think-ms 0");

        Assert.Equal(TimeSpan.Zero, options.ReadOptions(parse, [], Prompts).Pacing.NextPause(new Random(1)));
    }

    [Theory]
    [InlineData("load --think-ms -1", "--think-ms must be 0 or more.")]
    [InlineData("load --think-jitter 1.5", "--think-jitter must be between 0 and 1.")]
    [InlineData("load --ramp-up-ms -5", "--ramp-up-ms must be 0 or more.")]
    [InlineData("load --concurrency 0", "--concurrency must be 1 or more.")]
    [InlineData("load --erp-url not-a-url", "--erp-url 'not-a-url' is not an absolute http(s) URL.")]
    public void Parse_OutOfRange_IsRefusedNamingTheOption(string line, string error)
    {
        var (_, parse) = Parse(line);

        Assert.Contains(error, parse.Errors.Select(e => e.Message));
    }

    [Fact]
    public void ReadOptions_AcceptedPromptNotInTheMap_IsRefused()
    {
        var (options, parse) = Parse("load --accepted-prompt order_taken");

        var error = Assert.Throws<ArgumentException>(() => options.ReadOptions(parse, [], Prompts));

        Assert.Contains("--accepted-prompt 'order_taken'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOrderCheck_ErpUrlGiven_ChecksThereWithTheKeyAndDrainTime()
    {
        var (options, parse) = Parse("load --erp-url http://127.0.0.1:5291 --erp-api-key k --drain-seconds 30");

        var check = options.ReadOrderCheck(parse);

        Assert.NotNull(check);
        Assert.Equal(new Uri("http://127.0.0.1:5291"), check.ErpUrl);
        Assert.Equal("k", check.ApiKey);
        Assert.Equal(TimeSpan.FromSeconds(30), check.DrainTimeout);
        // Longer than the app's longest pause between two deliveries of a commit (WorkQueue:RetryMaxDelay, 30 s).
        Assert.Equal(TimeSpan.FromSeconds(45), check.Settle);
    }

    [Fact]
    public void ReadOrderCheck_SettleSeconds_Read()
    {
        var (options, parse) = Parse("load --erp-url http://127.0.0.1:5291 --settle-seconds 90");

        Assert.Equal(TimeSpan.FromSeconds(90), options.ReadOrderCheck(parse)!.Settle);
    }

    [Fact]
    public void ReadScenarios_FolderAndFile_AllInPathOrderFolderFirst()
    {
        var folder = RepositoryFiles.PathOf("scenarios/load");
        var file = RepositoryFiles.PathOf("scenarios/orders/05-reorder-end-to-end.yaml");
        var (options, parse) = Parse($"load --scenario {folder} --scenario {file}");

        var scenarios = options.ReadScenarios(parse);

        var inFolder = ScenarioLoader.LoadFolder(folder).Select(f => f.Scenario!.Name).ToList();
        Assert.Equal([.. inFolder, "Repeat the last order, end to end"], scenarios.Select(s => s.Name));
    }

    private static (LoadCommandOptions Options, ParseResult Parse) Parse(string line)
    {
        var options = new LoadCommandOptions();
        var load = new Command("load");
        options.AddTo(load);
        var root = new RootCommand { load };
        return (options, root.Parse(line));
    }
}
