using System.CommandLine;
using FunctionsIvr.Simulator.Load;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Simulator.Cli;

/// <summary>The options of the <c>load</c> command (documented in docs/simulator.md), and reading them into a run.</summary>
public sealed class LoadCommandOptions
{
    public const int DefaultThinkMs = 2000;
    public const double DefaultThinkJitter = 0.5;

    public Option<int> Calls { get; } = new("--calls") { Description = "Calls to place", DefaultValueFactory = _ => 100 };

    public Option<int> Concurrency { get; } = new("--concurrency") { Description = "Calls in progress at once", DefaultValueFactory = _ => 10 };

    public Option<FileSystemInfo[]> Scenarios { get; } = new("--scenario")
    {
        Description = "Scenario file, or folder of them, the calls follow in turn (repeatable; default: a random walk of digits and call statuses)",
    };

    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of the random walks and of the callers' pauses", DefaultValueFactory = _ => 1 };

    public Option<int> MaxCallbacks { get; } = new("--max-callbacks") { Description = "Stop a random walk after this many callbacks", DefaultValueFactory = _ => 50 };

    public Option<int> ThinkMs { get; } = new("--think-ms")
    {
        Description = "A caller's mean pause before each callback after the first (listening, pressing keys); 0 = back to back",
        DefaultValueFactory = _ => DefaultThinkMs,
    };

    public Option<double> ThinkJitter { get; } = new("--think-jitter")
    {
        Description = "Spread of the pause, 0..1: uniform in think × [1 − jitter, 1 + jitter]",
        DefaultValueFactory = _ => DefaultThinkJitter,
    };

    public Option<int> RampUpMs { get; } = new("--ramp-up-ms")
    {
        Description = "The first --concurrency calls start at random moments within this; 0 = all at once",
        DefaultValueFactory = _ => 0,
    };

    public Option<string> AcceptedPrompt { get; } = new("--accepted-prompt")
    {
        Description = "Prompt (name or number) that tells the caller the order is accepted; each Play of it counts one order",
        DefaultValueFactory = _ => "order_accepted",
    };

    public Option<Uri?> ErpUrl { get; } = new("--erp-url")
    {
        Description = "The DemoErp: after the calls, check there that every accepted order was committed exactly once (GET /admin/placed-orders)",
        CustomParser = CommonOptions.HttpUrl,
    };

    public Option<string> ErpApiKey { get; } = new("--erp-api-key") { Description = "X-Api-Key for --erp-url", DefaultValueFactory = _ => "demo-key" };

    public Option<int> DrainSeconds { get; } = new("--drain-seconds")
    {
        Description = "Longest wait for the commits to reach the ERP after the last call",
        DefaultValueFactory = _ => 120,
    };

    public Option<int> SettleSeconds { get; } = new("--settle-seconds")
    {
        Description = "After the calls, the ERP unchanged this long with orders missing or transactions open ends the wait (longer than the app's longest retry pause)",
        DefaultValueFactory = _ => 45,
    };

    public Option<bool> Markdown { get; } = new("--markdown") { Description = "Also print the summary as a Markdown table row and the exactly-once line" };

    public Option<bool> OverrunsFail { get; } = new("--overruns-fail") { Description = "Exit 1 on any budget overrun too (by default overruns are reported only)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[]
                 {
                     Calls, Concurrency, Scenarios, Seed, MaxCallbacks, ThinkMs, ThinkJitter, RampUpMs, AcceptedPrompt, ErpUrl, ErpApiKey,
                     DrainSeconds, SettleSeconds, Markdown, OverrunsFail,
                 })
        {
            command.Options.Add(option);
        }

        // On each option, not on the command: with System.CommandLine 2.0 a command validator that reads the values
        // leaves the options without their defaults.
        AtLeast(Calls, 1);
        AtLeast(Concurrency, 1);
        AtLeast(ThinkMs, 0);
        AtLeast(RampUpMs, 0);
        AtLeast(DrainSeconds, 0);
        AtLeast(SettleSeconds, 1);
        ThinkJitter.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is < 0 or > 1) result.AddError("--think-jitter must be between 0 and 1.");
        });
    }

    private static void AtLeast(Option<int> option, int minimum) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() < minimum) result.AddError($"{option.Name} must be {minimum} or more.");
    });

    /// <summary>The scenarios named by --scenario, folders expanded in path order.</summary>
    /// <exception cref="ScenarioFormatException">A file is not a valid scenario.</exception>
    /// <exception cref="IOException">A file or folder cannot be read.</exception>
    public IReadOnlyList<Scenario> ReadScenarios(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var scenarios = new List<Scenario>();
        foreach (var source in parse.GetValue(Scenarios) ?? [])
        {
            if (source is DirectoryInfo directory)
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

        return scenarios;
    }

    /// <summary>The run the command line asks for.</summary>
    /// <exception cref="ArgumentException">--accepted-prompt is neither a panel number nor a name in <paramref name="prompts"/>.</exception>
    public LoadOptions ReadOptions(ParseResult parse, IReadOnlyList<Scenario> scenarios, PromptMap prompts)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(prompts);
        var accepted = parse.GetValue(AcceptedPrompt) ?? "";
        return new LoadOptions
        {
            Calls = parse.GetValue(Calls),
            Concurrency = parse.GetValue(Concurrency),
            Scenarios = scenarios,
            Seed = parse.GetValue(Seed),
            MaxCallbacksPerCall = Math.Max(1, parse.GetValue(MaxCallbacks)),
            Pacing = new CallerPacing
            {
                Think = TimeSpan.FromMilliseconds(parse.GetValue(ThinkMs)),
                Jitter = parse.GetValue(ThinkJitter),
                RampUp = TimeSpan.FromMilliseconds(parse.GetValue(RampUpMs)),
            },
            AcceptedPrompt = prompts.NumberOf(accepted)
                             ?? (accepted.Length > 0 && accepted.All(char.IsAsciiDigit)
                                 ? accepted
                                 : throw new ArgumentException($"--accepted-prompt '{accepted}' is neither a panel number nor a name in the prompts map.", nameof(parse))),
        };
    }

    /// <summary>The ERP check after the calls; null without --erp-url.</summary>
    public OrderCheckOptions? ReadOrderCheck(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(ErpUrl) is { } url
            ? new OrderCheckOptions
            {
                ErpUrl = url,
                ApiKey = parse.GetValue(ErpApiKey) ?? "",
                DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(DrainSeconds)),
                Settle = TimeSpan.FromSeconds(parse.GetValue(SettleSeconds)),
            }
            : null;
    }
}
