using System.CommandLine;
using System.CommandLine.Parsing;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Simulator.Cli;

/// <summary>The options every command shares (where the app is, the caller, the panel settings), and reading them.</summary>
public sealed class CommonOptions
{
    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "The app's webhook URL",
        DefaultValueFactory = _ => CallSettings.DefaultUrl,
        CustomParser = HttpUrl,
        Recursive = true,
    };

    public Option<string?> Hash { get; } = new("--hash")
    {
        Description = "The panel's shared secret sent in Hash (left out when not given)",
        Recursive = true,
    };

    public Option<string> Encoding { get; } = new Option<string>("--encoding")
    {
        Description = "How callbacks are sent: json ({\"request\":{…}}), form (request=<urlencoded JSON>) or bare (JSON without the wrapper)",
        DefaultValueFactory = _ => "json",
        Recursive = true,
    }.AcceptOnlyFromAmong([.. CallbackEncodings.Names]);

    public Option<string> From { get; } = new("--from")
    {
        Description = "Caller number (FromNumber)",
        DefaultValueFactory = _ => CallSettings.DefaultFromNumber,
        Recursive = true,
    };

    public Option<string> To { get; } = new("--to")
    {
        Description = "Dialled number (ToNumber)",
        DefaultValueFactory = _ => CallSettings.DefaultToNumber,
        Recursive = true,
    };

    public Option<int> BudgetMs { get; } = Positive(new Option<int>("--budget-ms")
    {
        Description = "Time an answer may take before it counts as an overrun",
        DefaultValueFactory = _ => (int)CallSettings.DefaultBudget.TotalMilliseconds,
        Recursive = true,
    });

    public Option<int> MaxWaitMs { get; } = Positive(new Option<int>("--max-wait-ms")
    {
        Description = "The panel's max wait: past it the platform gives up on an answer (app timeout)",
        DefaultValueFactory = _ => (int)CallSettings.DefaultMaxWait.TotalMilliseconds,
        Recursive = true,
    });

    public Option<FileInfo?> Prompts { get; } = new("--prompts")
    {
        Description = $"JSON file with a Prompts section {{ \"welcome\": \"1\", … }} (default: {PromptMap.DefaultRelativePath} in the repository)",
        Recursive = true,
    };

    public Option<string?> SayParameter { get; } = new("--say-parameter")
    {
        Description = "Parameter name Say* actions must carry their value in, one for all or one per type "
                      + "(SayNumber=Number,SayDigits=Digits,SayDate=Date,SayTime=Time); the platform does not publish it "
                      + "(default: any single parameter another action does not use)",
        Recursive = true,
        Validators =
        {
            result =>
            {
                try
                {
                    _ = new ResponseValidator(result.GetValueOrDefault<string?>());
                }
                catch (ArgumentException e)
                {
                    result.AddError("--say-parameter: " + e.Message.Split(" (Parameter", 2)[0]);
                }
            },
        },
    };

    /// <summary>Parses an option's value as an absolute http(s) URL, or reports the option's name and the value.</summary>
    public static Uri? HttpUrl(ArgumentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }

        var name = (result.Parent as OptionResult)?.Option.Name ?? "the URL";
        result.AddError($"{name} '{text}' is not an absolute http(s) URL.");
        return null;
    }

    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var option in new Option[] { Url, Hash, Encoding, From, To, BudgetMs, MaxWaitMs, Prompts, SayParameter })
        {
            root.Options.Add(option);
        }
    }

    public CallSettings ReadSettings(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        CallbackEncodings.TryParse(parse.GetValue(Encoding), out var encoding);
        return new CallSettings
        {
            Url = parse.GetValue(Url)!,
            Hash = parse.GetValue(Hash),
            Encoding = encoding,
            FromNumber = parse.GetValue(From)!,
            ToNumber = parse.GetValue(To)!,
            Budget = TimeSpan.FromMilliseconds(parse.GetValue(BudgetMs)),
            MaxWait = TimeSpan.FromMilliseconds(parse.GetValue(MaxWaitMs)),
        };
    }

    public ResponseValidator ReadValidator(ParseResult parse) => new(parse?.GetValue(SayParameter));

    /// <summary>The prompts map from --prompts, else the app's appsettings.json when run inside the repository, else empty.</summary>
    /// <exception cref="FileNotFoundException">--prompts names a file that does not exist.</exception>
    public PromptMap ReadPrompts(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Prompts) is { } file)
        {
            return file.Exists ? PromptMap.Load(file.FullName) : throw new FileNotFoundException($"No prompts file at {file.FullName}.", file.FullName);
        }

        var found = PromptMap.FindDefaultFile(Directory.GetCurrentDirectory()) ?? PromptMap.FindDefaultFile(AppContext.BaseDirectory);
        return found is null ? PromptMap.Empty : PromptMap.Load(found);
    }

    private static Option<int> Positive(Option<int> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError($"{option.Name} must be a positive number of milliseconds.");
            }
        });
        return option;
    }
}
