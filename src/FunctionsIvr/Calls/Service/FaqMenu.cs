using System.Collections.Frozen;

namespace FunctionsIvr.Calls.Service;

/// <summary>
/// The FAQ as the phone can play it, built from one version of <see cref="FaqOptions"/>: the topics whose key is 1–8
/// and whose prompt has a panel number, with that number. Topics that fail are listed in <see cref="Skipped"/>.
/// </summary>
internal sealed class FaqMenu
{
    private FaqMenu(FaqOptions source, string? menuPromptNumber, FrozenDictionary<string, string> topics, IReadOnlyList<string> skipped)
    {
        Source = source;
        MenuPromptNumber = menuPromptNumber;
        Topics = topics;
        Skipped = skipped;
    }

    public FaqOptions Source { get; }

    /// <summary>Panel number of the menu prompt; null when it has none (the built-in menu prompt is asked instead).</summary>
    public string? MenuPromptNumber { get; }

    /// <summary>Topic key -> panel number of its prompt.</summary>
    public FrozenDictionary<string, string> Topics { get; }

    /// <summary>Why each left-out topic was left out, for the log.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <param name="promptNumber">The panel number of a prompt name, or null when it is not mapped.</param>
    public static FaqMenu Build(FaqOptions options, Func<string, string?> promptNumber)
    {
        var topics = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var topic in options.Topics)
        {
            var key = topic.Key.Trim();
            if (key.Length != 1 || key[0] is < '1' or > '8')
                skipped.Add($"topic '{topic.Title}': key '{topic.Key}' is not 1 to 8");
            else if (topics.ContainsKey(key))
                skipped.Add($"topic '{topic.Title}': key {key} is already taken");
            else if (string.IsNullOrWhiteSpace(topic.Prompt))
                skipped.Add($"topic {key} '{topic.Title}': no prompt");
            else if (Number(promptNumber, topic.Prompt) is not { } number)
                skipped.Add($"topic {key} '{topic.Title}': prompt '{topic.Prompt}' has no panel number (set Prompts:{topic.Prompt})");
            else
                topics[key] = number;
        }

        return new FaqMenu(options, Number(promptNumber, options.MenuPrompt), topics.ToFrozenDictionary(StringComparer.Ordinal), skipped);
    }

    private static string? Number(Func<string, string?> promptNumber, string prompt) =>
        string.IsNullOrWhiteSpace(prompt) ? null
        : promptNumber(prompt.Trim()) is { Length: > 0 } number && number.All(char.IsAsciiDigit) ? number
        : null;
}
