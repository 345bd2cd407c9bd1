using System.Collections;
using System.Globalization;
using System.Text.Json;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>
/// What an answer must look like. Every field is optional; only the ones given are checked. Prompts may be named
/// (resolved through the prompts map) or numbered; Session is matched as a subset, keys case-insensitively.
/// </summary>
public sealed record ScenarioExpectation
{
    public string? Type { get; init; }

    /// <summary>A prompt name from the prompts map, or a panel number.</summary>
    public string? Prompt { get; init; }

    public string? Destination { get; init; }

    /// <summary>Call… Options, compared as a set of comma-separated tokens (order does not matter).</summary>
    public string? Options { get; init; }

    /// <summary>The value of a Say* action, whatever its parameter is called.</summary>
    public string? Say { get; init; }

    /// <summary>Parameters that must be present with exactly these string values.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>A subset of the Session: scalars compare as text, mappings by key (any casing), lists item by item.</summary>
    public IReadOnlyDictionary<string, object?>? Session { get; init; }

    /// <summary>An HTTP status other than 200 the app must answer with (e.g. 403 for a wrong Hash); no action is then expected.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The differences between the answer and this expectation; empty when it matches.</summary>
    public IReadOnlyList<string> FindMismatches(Exchange exchange, PromptMap prompts)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(prompts);
        var problems = new List<string>();
        if (HttpStatus is { } status)
        {
            if (exchange.Http.StatusCode != status)
            {
                problems.Add($"HTTP status is {exchange.Http.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "none"}, expected {status}");
            }

            return problems;
        }

        var action = exchange.Action;
        if (action is null)
        {
            problems.Add("no action to compare");
            return problems;
        }

        if (Type is not null && action.Type != Type)
        {
            problems.Add($"expected {Type}");
            return problems;
        }

        if (Prompt is not null)
        {
            CheckPrompt(action, prompts, problems);
        }

        Compare("Destination", action["Destination"], Destination, problems);
        if (Options is not null && !SameTokens(action["Options"], Options))
        {
            problems.Add($"Options is '{action["Options"] ?? "(none)"}', expected '{Options}'");
        }

        if (Say is not null)
        {
            var said = action.Parameters.Count == 1 ? action.Parameters[0].Value : null;
            if (said != Say)
            {
                problems.Add($"says '{said ?? "(no single value)"}', expected '{Say}'");
            }
        }

        foreach (var (name, value) in Parameters)
        {
            Compare(name, action[name], value, problems);
        }

        if (Session is not null)
        {
            MatchSubset("Session", Session, exchange.Answer.Session, problems);
        }

        return problems;
    }

    /// <summary>A short text of what is expected, for transcripts.</summary>
    public override string ToString()
    {
        if (HttpStatus is { } status)
        {
            return "HTTP " + status.ToString(CultureInfo.InvariantCulture);
        }

        var parts = new List<string> { Type ?? "any action" };
        if (Prompt is not null) parts.Add("prompt " + Prompt);
        if (Destination is not null) parts.Add(Destination);
        if (Say is not null) parts.Add(Say);
        return string.Join(' ', parts);
    }

    private void CheckPrompt(AnsweredAction action, PromptMap prompts, List<string> problems)
    {
        var wanted = Prompt!;
        var expected = wanted.All(char.IsAsciiDigit) ? wanted : prompts.NumberOf(wanted);
        if (expected is null)
        {
            problems.Add($"prompt '{Prompt}' is not in the prompts map ({prompts.Source ?? "none loaded; pass --prompts"})");
            return;
        }

        var actual = action["Prompt"];
        if (actual != expected)
        {
            problems.Add($"prompt is {(actual is null ? "(none)" : prompts.Describe(actual))}, expected {prompts.Describe(expected)}");
        }
    }

    private static void Compare(string name, string? actual, string? expected, List<string> problems)
    {
        if (expected is not null && actual != expected)
        {
            problems.Add($"{name} is {(actual is null ? "missing" : "'" + actual + "'")}, expected '{expected}'");
        }
    }

    private static bool SameTokens(string? actual, string expected)
    {
        static string[] Tokens(string text) =>
            text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToArray();
        return actual is not null && Tokens(actual).SequenceEqual(Tokens(expected), StringComparer.Ordinal);
    }

    private static void MatchSubset(string path, object? expected, JsonElement? actual, List<string> problems)
    {
        var kind = actual?.ValueKind ?? JsonValueKind.Undefined;
        switch (expected)
        {
            case null:
                if (kind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                {
                    problems.Add($"{path} is {actual!.Value.GetRawText()}, expected null");
                }

                break;
            case IDictionary mapping:
                if (kind != JsonValueKind.Object)
                {
                    problems.Add($"{path} is {Show(actual)}, expected an object");
                    break;
                }

                foreach (DictionaryEntry entry in mapping)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
                    var property = actual!.Value.EnumerateObject()
                        .FirstOrDefault(p => string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase));
                    var child = property.Value.ValueKind == JsonValueKind.Undefined ? (JsonElement?)null : property.Value;
                    if (child is null && entry.Value is not null)
                    {
                        problems.Add($"{path}.{key} is missing, expected {Show(entry.Value)}");
                        continue;
                    }

                    MatchSubset(path + "." + key, entry.Value, child, problems);
                }

                break;
            case IList list:
                if (kind != JsonValueKind.Array || actual!.Value.GetArrayLength() != list.Count)
                {
                    problems.Add($"{path} is {Show(actual)}, expected a list of {list.Count}");
                    break;
                }

                var items = actual.Value.EnumerateArray().ToList();
                for (var i = 0; i < list.Count; i++)
                {
                    MatchSubset($"{path}[{i}]", list[i], items[i], problems);
                }

                break;
            default:
                var text = Convert.ToString(expected, CultureInfo.InvariantCulture) ?? "";
                var actualText = kind switch
                {
                    JsonValueKind.String => actual!.Value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => actual!.Value.GetRawText(),
                    _ => null,
                };
                if (!string.Equals(actualText, text, kind == JsonValueKind.String ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{path} is {Show(actual)}, expected \"{text}\"");
                }

                break;
        }
    }

    private static string Show(JsonElement? value) => value is { } v ? v.GetRawText() : "missing";

    private static string Show(object? value) => value switch
    {
        null => "null",
        IDictionary => "an object",
        IList => "a list",
        _ => "\"" + Convert.ToString(value, CultureInfo.InvariantCulture) + "\"",
    };
}
