using System.Text.RegularExpressions;
using FunctionsIvr.Simulator.Platform;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>Reads scenario files (YAML, format in docs/scenarios.md) and rejects anything that could not run as written.</summary>
public static partial class ScenarioLoader
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    /// <summary>A file of a folder run: the scenario, or why it could not be read.</summary>
    public sealed record LoadedFile(string Path, Scenario? Scenario, string? Error);

    /// <summary>
    /// Every *.yaml / *.yml file in <paramref name="folder"/> and its subfolders (<c>scenarios/&lt;area&gt;/…</c>), in
    /// order of their path relative to the folder, so a folder's files run together and in name order.
    /// </summary>
    public static IReadOnlyList<LoadedFile> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"No scenario folder at {folder}.");
        }

        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), StringComparer.Ordinal)
            .Select(path =>
            {
                try
                {
                    return new LoadedFile(path, LoadFile(path), null);
                }
                catch (ScenarioFormatException e)
                {
                    return new LoadedFile(path, null, e.Message);
                }
            })
            .ToList();
    }

    public static Scenario LoadFile(string path) =>
        Parse(File.ReadAllText(path), path, Path.GetFileNameWithoutExtension(path));

    /// <exception cref="ScenarioFormatException">The text is not a valid scenario; the message says where and why.</exception>
    public static Scenario Parse(string yaml, string? sourcePath = null, string defaultName = "scenario")
    {
        var where = sourcePath ?? "scenario";
        ScenarioDocument? document;
        try
        {
            document = Yaml.Deserialize<ScenarioDocument?>(yaml);
        }
        catch (YamlException e)
        {
            throw new ScenarioFormatException($"{where} line {e.Start.Line}, column {e.Start.Column}: {Explain(Innermost(e))}", e);
        }

        if (document is null)
        {
            throw new ScenarioFormatException($"{where}: the file is empty.");
        }

        return Build(document, where, sourcePath, defaultName);
    }

    private static Scenario Build(ScenarioDocument document, string where, string? sourcePath, string defaultName)
    {
        CallbackEncoding? encoding = null;
        if (document.Encoding is not null)
        {
            encoding = CallbackEncodings.TryParse(document.Encoding, out var parsed)
                ? parsed
                : throw new ScenarioFormatException($"{where}: encoding '{document.Encoding}' is not one of {string.Join(", ", CallbackEncodings.Names)}.");
        }

        if (document.BudgetMs is <= 0)
        {
            throw new ScenarioFormatException($"{where}: budgetMs must be a positive number of milliseconds.");
        }

        if (document.Exchanges is not { Count: > 0 })
        {
            throw new ScenarioFormatException($"{where}: a scenario needs at least one entry under 'exchanges'.");
        }

        var exchanges = new List<ScenarioExchange>();
        for (var i = 0; i < document.Exchanges.Count; i++)
        {
            var isLast = i == document.Exchanges.Count - 1;
            exchanges.Add(BuildExchange(document.Exchanges[i], i + 1, isLast, where));
        }

        return new Scenario
        {
            Name = string.IsNullOrWhiteSpace(document.Name) ? defaultName : document.Name.Trim(),
            SourcePath = sourcePath,
            Description = document.Description?.Trim(),
            From = document.From,
            To = document.To,
            Hash = document.Hash,
            Encoding = encoding,
            Budget = document.BudgetMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            Exchanges = exchanges,
        };
    }

    private static ScenarioExchange BuildExchange(ExchangeDocument? item, int number, bool isLast, string where)
    {
        var at = $"{where}: exchange {number}";
        if (item is null || (item.Expect is null && item.Digits is null && item.Status is null && item.Error is null && !item.Repeat && !item.End))
        {
            throw new ScenarioFormatException($"{at} is empty: give it an 'expect', something to send (digits, status, error, repeat) or 'end: true'.");
        }

        if (item.Digits is not null && item.Status is not null)
        {
            throw new ScenarioFormatException($"{at} has both digits and status; an answer is either a GetDTMF or a Call… action.");
        }

        if (item.Repeat && (item.Digits is not null || item.Status is not null || item.Error is not null))
        {
            throw new ScenarioFormatException($"{at}: 'repeat: true' sends the previous callback unchanged; it takes no digits, status or error.");
        }

        if (item.End && (item.Digits is not null || item.Status is not null || item.Error is not null || item.Repeat))
        {
            throw new ScenarioFormatException($"{at}: 'end: true' means nothing more is sent; remove digits/status/error/repeat.");
        }

        if (item.End && !isLast)
        {
            throw new ScenarioFormatException($"{at}: 'end: true' must be on the last exchange.");
        }

        if (item.Optional && item.Expect is null)
        {
            throw new ScenarioFormatException($"{at}: 'optional: true' needs an 'expect' to decide whether the exchange applies.");
        }

        if (item.Digits is not null && !item.Digits.All(c => char.IsAsciiDigit(c) || c is '*' or '#'))
        {
            throw new ScenarioFormatException($"{at}: digits '{item.Digits}' may hold only 0-9, * and # (\"\" is a timeout).");
        }

        string? status = null;
        if (item.Status is not null && !CallStatuses.TryNormalize(item.Status, out status))
        {
            throw new ScenarioFormatException($"{at}: status '{item.Status}' is not one of {string.Join(", ", CallStatuses.All)}.");
        }

        PlatformError? error = null;
        if (item.Error is not null)
        {
            error = string.IsNullOrWhiteSpace(item.Error.No)
                ? throw new ScenarioFormatException($"{at}: error needs 'no' (the platform's ErrorNo), e.g. error: {{ no: \"4\", msg: \"no SIP account\" }}.")
                : new PlatformError(item.Error.No.Trim(), item.Error.Msg ?? "");
        }

        var expect = item.Expect is null ? null : BuildExpectation(item.Expect, at);
        if (item.Optional && expect?.HttpStatus is not null)
        {
            throw new ScenarioFormatException($"{at}: an HTTP status expectation cannot be optional.");
        }

        return new ScenarioExchange
        {
            Number = number,
            Expect = expect,
            Optional = item.Optional,
            Digits = item.Digits,
            Status = status,
            Error = error,
            Repeat = item.Repeat,
            End = item.End,
        };
    }

    private static ScenarioExpectation BuildExpectation(ExpectDocument expect, string at)
    {
        if (expect.Type is not null && !ActionTypes.IsKnown(expect.Type))
        {
            var corrected = ActionTypes.CorrectCasing(expect.Type);
            throw new ScenarioFormatException(corrected is not null
                ? $"{at}: type '{expect.Type}' is spelled '{corrected}' by the platform."
                : $"{at}: type '{expect.Type}' is not an action; use one of {string.Join(", ", ActionTypes.All)}.");
        }

        if (expect.Http is < 100 or > 599)
        {
            throw new ScenarioFormatException($"{at}: http {expect.Http} is not an HTTP status.");
        }

        if (expect.Http is not null && (expect.Type ?? expect.Prompt ?? expect.Destination ?? expect.Options ?? expect.Say ?? expect.Step) is not null)
        {
            throw new ScenarioFormatException($"{at}: an 'http' expectation checks the status only; it cannot also expect an action.");
        }

        var session = expect.Session is null ? null : new Dictionary<string, object?>(expect.Session, StringComparer.OrdinalIgnoreCase);
        if (expect.Step is not null)
        {
            session ??= new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (session.TryGetValue("step", out var step) && !Equals(step, expect.Step))
            {
                throw new ScenarioFormatException($"{at}: 'step' and 'session.step' disagree.");
            }

            session["step"] = expect.Step;
        }

        return new ScenarioExpectation
        {
            Type = expect.Type,
            Prompt = expect.Prompt?.Trim(),
            Destination = expect.Destination,
            Options = expect.Options,
            Say = expect.Say,
            Parameters = expect.Params ?? new Dictionary<string, string>(),
            Session = session,
            HttpStatus = expect.Http,
        };
    }

    /// <summary>YamlDotNet names the C# type of an unknown key; say instead where it was and which keys exist there.</summary>
    private static string Explain(string message)
    {
        var match = UnknownProperty().Match(message);
        if (!match.Success)
        {
            return message;
        }

        var (place, type) = match.Groups[2].Value switch
        {
            nameof(ExpectDocument) => ("'expect'", typeof(ExpectDocument)),
            nameof(ExchangeDocument) => ("an exchange", typeof(ExchangeDocument)),
            nameof(ErrorDocument) => ("'error'", typeof(ErrorDocument)),
            _ => ("the scenario", typeof(ScenarioDocument)),
        };
        var known = type.GetProperties().Select(p => CamelCaseNamingConvention.Instance.Apply(p.Name));
        return $"unknown key '{match.Groups[1].Value}' in {place}; known keys: {string.Join(", ", known)}";
    }

    [GeneratedRegex(@"Property '([^']*)' not found on type '(?:[\w.]+\.)?(\w+)'")]
    private static partial Regex UnknownProperty();

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
