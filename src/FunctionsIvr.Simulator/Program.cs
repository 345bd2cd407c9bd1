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

var calls = new Option<int>("--calls") { Description = "Calls to place", DefaultValueFactory = _ => 100 };
var concurrency = new Option<int>("--concurrency") { Description = "Calls in progress at once", DefaultValueFactory = _ => 10 };
var scenarioFiles = new Option<FileSystemInfo[]>("--scenario")
{
    Description = "Scenario file, or folder of them, the calls follow in turn (repeatable; default: a random walk of digits and call statuses)",
    AllowMultipleArgumentsPerToken = false,
};
var seed = new Option<int>("--seed") { Description = "Seed of the random walks and of the callers' pauses", DefaultValueFactory = _ => 1 };
var maxCallbacks = new Option<int>("--max-callbacks") { Description = "Stop a random walk after this many callbacks", DefaultValueFactory = _ => 50 };
var thinkMs = new Option<int>("--think-ms") { Description = "A caller's mean pause before each callback after the first (listening, pressing keys); 0 = back to back", DefaultValueFactory = _ => 2000 };
var thinkJitter = new Option<double>("--think-jitter") { Description = "Spread of the pause, 0..1: uniform in think × [1 − jitter, 1 + jitter]", DefaultValueFactory = _ => 0.5 };
var rampUpMs = new Option<int>("--ramp-up-ms") { Description = "The first --concurrency calls start at random moments within this; 0 = all at once", DefaultValueFactory = _ => 0 };
var acceptedPrompt = new Option<string>("--accepted-prompt") { Description = "Prompt (name or number) that tells the caller the order is accepted; each Play of it counts one order", DefaultValueFactory = _ => "order_accepted" };
var erpUrl = new Option<Uri?>("--erp-url")
{
    Description = "The DemoErp: after the calls, check there that every accepted order was committed exactly once (GET /admin/placed-orders)",
    CustomParser = CommonOptions.HttpUrl,
};
var erpApiKey = new Option<string>("--erp-api-key") { Description = "X-Api-Key for --erp-url", DefaultValueFactory = _ => "demo-key" };
var drainSeconds = new Option<int>("--drain-seconds") { Description = "Longest wait for the commits to reach the ERP after the last call", DefaultValueFactory = _ => 120 };
var markdown = new Option<bool>("--markdown") { Description = "Also print the summary as a Markdown table row and the exactly-once line" };
var overrunsFail = new Option<bool>("--overruns-fail") { Description = "Exit 1 on any budget overrun too (by default overruns are reported only)" };
var load = new Command("load", "Place many calls at once, paced like callers; print calls, callbacks, invalid answers, overruns, p50/p99 latency, errors and, with --erp-url, the orders check")
{
    calls, concurrency, scenarioFiles, seed, maxCallbacks, thinkMs, thinkJitter, rampUpMs, acceptedPrompt, erpUrl, erpApiKey, drainSeconds, markdown, overrunsFail,
};
load.Validators.Add(result =>
{
    if (result.GetValue(thinkMs) < 0) result.AddError("--think-ms must be 0 or more.");
    if (result.GetValue(thinkJitter) is < 0 or > 1) result.AddError("--think-jitter must be between 0 and 1.");
    if (result.GetValue(rampUpMs) < 0) result.AddError("--ramp-up-ms must be 0 or more.");
    if (result.GetValue(drainSeconds) < 0) result.AddError("--drain-seconds must be 0 or more.");
});
load.SetAction(async (parse, cancellationToken) =>
{
    var prompts = LoadPrompts(parse);
    if (prompts is null) return 2;
    var scenarios = new List<Scenario>();
    foreach (var source in parse.GetValue(scenarioFiles) ?? [])
    {
        try
        {
            if (source is DirectoryInfo { Exists: true } directory)
            {
                foreach (var file in ScenarioLoader.LoadFolder(directory.FullName))
                {
                    scenarios.Add(file.Scenario ?? throw new ScenarioFormatException(file.Error ?? file.Path));
                }
            }
            else
            {
                scenarios.Add(ScenarioLoader.LoadFile(source.FullName));
            }
        }
        catch (Exception e) when (e is ScenarioFormatException or IOException)
        {
            console.MarkupLine($"[red]{Markup.Escape(e.Message)}[/]");
            return 2;
        }
    }

    var accepted = parse.GetValue(acceptedPrompt)!;
    var options = new LoadOptions
    {
        Calls = Math.Max(1, parse.GetValue(calls)),
        Concurrency = Math.Max(1, parse.GetValue(concurrency)),
        Scenarios = scenarios,
        Seed = parse.GetValue(seed),
        MaxCallbacksPerCall = Math.Max(1, parse.GetValue(maxCallbacks)),
        Pacing = new CallerPacing
        {
            Think = TimeSpan.FromMilliseconds(parse.GetValue(thinkMs)),
            Jitter = parse.GetValue(thinkJitter),
            RampUp = TimeSpan.FromMilliseconds(parse.GetValue(rampUpMs)),
        },
        AcceptedPrompt = prompts.NumberOf(accepted) ?? (accepted.All(char.IsAsciiDigit) ? accepted : null),
    };
    if (options.AcceptedPrompt is null)
    {
        console.MarkupLine($"[red]--accepted-prompt '{Markup.Escape(accepted)}' is neither a panel number nor a name in the prompts map.[/]");
        return 2;
    }

    var settings = common.ReadSettings(parse);
    var erp = parse.GetValue(erpUrl);
    var what = scenarios.Count == 0 ? "random walks" : $"{scenarios.Count} scenario(s) in turn";
    console.MarkupLine($"[grey]{options.Calls} calls, {options.Concurrency} at once, {what}; callers pause {options.Pacing.Think.TotalMilliseconds:0} ms ± {options.Pacing.Jitter * 100:0} %, first calls start within {options.Pacing.RampUp.TotalMilliseconds:0} ms; against {Markup.Escape(settings.Url.ToString())}[/]");

    var done = 0;
    using var progressTimer = new Timer(_ => console.MarkupLine($"[grey]… {Volatile.Read(ref done)} of {options.Calls} calls done[/]"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    var report = await new LoadRunner(client, common.ReadValidator(parse), prompts, settings, TimeProvider.System)
        .RunAsync(options, new InlineProgress<int>(n => Volatile.Write(ref done, n)), cancellationToken);
    await progressTimer.DisposeAsync();

    OrderCheckResult? orders = null;
    if (erp is not null)
    {
        console.MarkupLine("[grey]calls done; waiting for the commits to reach the ERP…[/]");
        orders = await new ErpOrderCheck(http, new OrderCheckOptions
        {
            ErpUrl = erp,
            ApiKey = parse.GetValue(erpApiKey)!,
            DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(drainSeconds)),
        }, TimeProvider.System).RunAsync(report.AcceptedByCall, cancellationToken);
    }

    LoadReportPrinter.Print(console, report, settings.Budget, orders);
    if (parse.GetValue(markdown))
    {
        console.WriteLine();
        console.Profile.Out.Writer.Write(LoadReportPrinter.Markdown(report, settings.Budget, orders));
    }

    var clean = report.Clean && orders?.Passed != false && !(parse.GetValue(overrunsFail) && report.BudgetOverruns > 0);
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
