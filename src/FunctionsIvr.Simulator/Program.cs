using System.CommandLine;
using FunctionsIvr.Simulator.Cli;
using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Interactive;
using FunctionsIvr.Simulator.Load;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;
using Spectre.Console;

// The IVR platform, simulated: places calls against a webhook the way the PBX does, checks every answer against
// the IVR API, interactively (call), from scripts (run-scenarios) or in bulk (load). Exit codes: 0 all good,
// 1 an answer or scenario failed, 2 the command could not run (missing folder, unreadable file).
Console.OutputEncoding = System.Text.Encoding.UTF8;
// Piped output (CI logs, files) gets plain text and long lines; a terminal gets colours.
var console = Console.IsOutputRedirected
    ? AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors })
    : AnsiConsole.Console;
if (Console.IsOutputRedirected)
{
    console.Profile.Width = 240;
}

using var http = PlatformClient.CreateHttpClient();
var client = new PlatformClient(http, TimeProvider.System);
var common = new CommonOptions();

var root = new RootCommand("The IVR platform, simulated: calls a webhook as the PBX does and checks every answer against the IVR API.");
common.AddTo(root);

var callId = new Option<string?>("--call-id") { Description = "UniqueCallId to use (default: a new one)" };
var call = new Command("call", "Place one call; type the digits and pick the dial outcomes yourself (plain lines on stdin work too)") { callId };
call.SetAction(async (parse, cancellationToken) =>
{
    var prompts = LoadPrompts(parse);
    if (prompts is null) return 2;
    var driver = new CallDriver(client, common.ReadValidator(parse), common.ReadSettings(parse), parse.GetValue(callId) ?? CallDriver.NewCallId());
    ICallerInput input = !Console.IsInputRedirected && console.Profile.Capabilities.Interactive
        ? new ConsoleCallerInput(console)
        : new LineCallerInput(Console.In, Console.Out);
    var clean = await new InteractiveCall(driver, input, new ExchangePrinter(console, new ActionDescriber(prompts)), console)
        .RunAsync(cancellationToken);
    return clean ? 0 : 1;
});

var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder of scenario files (*.yaml, *.yml)" };
var verbose = new Option<bool>("--verbose", "-v") { Description = "Print the transcript of passing scenarios too" };
var runScenarios = new Command("run-scenarios", "Run every scenario in a folder; one pass/fail line each, exit 1 on any failure") { folder, verbose };
runScenarios.SetAction(async (parse, cancellationToken) =>
{
    var prompts = LoadPrompts(parse);
    var directory = parse.GetValue(folder)!;
    if (prompts is null) return 2;
    if (!directory.Exists)
    {
        console.MarkupLine($"[red]No scenario folder at {Markup.Escape(directory.FullName)}[/]");
        return 2;
    }

    var files = ScenarioLoader.LoadFolder(directory.FullName);
    if (files.Count == 0)
    {
        console.MarkupLine($"[red]No *.yaml scenarios in {Markup.Escape(directory.FullName)}[/]");
        return 2;
    }

    var runner = new ScenarioRunner(client, common.ReadValidator(parse), prompts, common.ReadSettings(parse));
    var report = new ScenarioReportPrinter(console, new ExchangePrinter(console, new ActionDescriber(prompts)), parse.GetValue(verbose));
    foreach (var file in files)
    {
        if (file.Scenario is null) report.PrintUnreadable(file);
        else report.Print(await runner.RunAsync(file.Scenario, cancellationToken: cancellationToken));
    }

    report.PrintSummary();
    return report.Failed == 0 ? 0 : 1;
});

var loadOptions = new LoadCommandOptions();
var load = new Command("load", "Place many calls at once, paced like callers; print calls, callbacks, invalid answers, overruns, p50/p99 latency, errors and, with --erp-url, the orders check");
loadOptions.AddTo(load);
load.SetAction(async (parse, cancellationToken) =>
{
    var prompts = LoadPrompts(parse);
    if (prompts is null) return 2;
    LoadOptions options;
    try
    {
        options = loadOptions.ReadOptions(parse, loadOptions.ReadScenarios(parse), prompts);
    }
    catch (Exception e) when (e is ScenarioFormatException or IOException or ArgumentException)
    {
        console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
        return 2;
    }

    var settings = common.ReadSettings(parse);
    var orderCheck = loadOptions.ReadOrderCheck(parse);
    var what = options.Scenarios.Count == 0 ? "random walks" : $"{options.Scenarios.Count} scenario(s) in turn";
    console.MarkupLine($"[grey]{options.Calls} calls, {options.Concurrency} at once, {what}; callers pause {options.Pacing.Think.TotalMilliseconds:0} ms ± {options.Pacing.Jitter * 100:0} %, first calls start within {options.Pacing.RampUp.TotalMilliseconds:0} ms; against {Markup.Escape(settings.Url.ToString())}[/]");

    var done = 0;
    var progressTimer = new Timer(_ => console.MarkupLine($"[grey]… {Volatile.Read(ref done)} of {options.Calls} calls done[/]"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    LoadReport report;
    try
    {
        report = await new LoadRunner(client, common.ReadValidator(parse), prompts, settings, TimeProvider.System)
            .RunAsync(options, new InlineProgress<int>(n => Volatile.Write(ref done, n)), cancellationToken);
    }
    finally
    {
        await progressTimer.DisposeAsync();
    }

    OrderCheckResult? orders = null;
    if (orderCheck is not null)
    {
        console.MarkupLine("[grey]calls done; waiting for the commits to reach the ERP…[/]");
        orders = await new ErpOrderCheck(http, orderCheck, TimeProvider.System).RunAsync(report.AcceptedByCall, cancellationToken);
    }

    LoadReportPrinter.Print(console, report, settings.Budget, orders);
    if (parse.GetValue(loadOptions.Markdown))
    {
        console.WriteLine();
        console.Profile.Out.Writer.Write(LoadReportPrinter.Markdown(report, settings.Budget, orders));
    }

    // The load asked for is part of the result: a run that never had that many calls at once proves less than it says.
    var loadReached = report.PeakConcurrentCalls >= options.Concurrency;
    var loadMustBeReached = options.MustReachConcurrency;
    if (!loadReached)
    {
        console.MarkupLine(loadMustBeReached
            ? $"[red]at most {report.PeakConcurrentCalls} calls at once, not the {options.Concurrency} asked for[/]"
            : $"[yellow]at most {report.PeakConcurrentCalls} calls at once ({options.Concurrency} slots; calls back to back or no second wave)[/]");
    }

    loadReached |= !loadMustBeReached;
    var clean = report.Clean && loadReached && orders?.Passed != false && !(parse.GetValue(loadOptions.OverrunsFail) && report.BudgetOverruns > 0);
    return clean ? 0 : 1;
});

root.Subcommands.Add(call);
root.Subcommands.Add(runScenarios);
root.Subcommands.Add(load);
return await root.Parse(args).InvokeAsync();

PromptMap? LoadPrompts(ParseResult parse)
{
    try
    {
        var prompts = common.ReadPrompts(parse);
        console.MarkupLine(prompts.Source is null
            ? "[grey]no prompts map: prompts show as numbers (use --prompts)[/]"
            : $"[grey]prompts from {Markup.Escape(prompts.Source)} ({prompts.Count})[/]");
        return prompts;
    }
    catch (Exception e) when (e is IOException or InvalidDataException)
    {
        console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
        return null;
    }
}
