using System.Text.Json;

namespace FunctionsIvr.Simulator.Prompts;

/// <summary>
/// The panel's prompt list as the app configures it (<c>"Prompts": { "welcome": "1", … }</c>), read both ways:
/// numbers in answers become names a person recognises, names in scenarios become the numbers to expect.
/// Names compare case-insensitively, as .NET configuration keys do.
/// </summary>
public sealed class PromptMap
{
    public const string SectionName = "Prompts";

    /// <summary>Where the app keeps its prompts map, relative to the repository root.</summary>
    public const string DefaultRelativePath = "src/FunctionsIvr/appsettings.json";

    private readonly Dictionary<string, string> numbersByName;

    public PromptMap(IEnumerable<KeyValuePair<string, string>> numbersByName, string? source = null)
    {
        this.numbersByName = new Dictionary<string, string>(numbersByName, StringComparer.OrdinalIgnoreCase);
        Source = source;
    }

    public static PromptMap Empty { get; } = new([]);

    /// <summary>The file the map came from, for messages; null for an empty or built map.</summary>
    public string? Source { get; }

    public int Count => numbersByName.Count;

    /// <summary>Reads the <c>Prompts</c> section of a JSON settings file (comments and trailing commas allowed).</summary>
    /// <exception cref="InvalidDataException">The file is not JSON or its Prompts section is not an object.</exception>
    public static PromptMap Load(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path} must hold a JSON object with a '{SectionName}' section.");
            }

            var section = document.RootElement.EnumerateObject()
                .FirstOrDefault(p => string.Equals(p.Name, SectionName, StringComparison.OrdinalIgnoreCase));
            if (section.Value.ValueKind == JsonValueKind.Undefined)
            {
                return new PromptMap([], path);
            }

            if (section.Value.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"'{SectionName}' in {path} must be an object of name: number.");
            }

            var entries = section.Value.EnumerateObject()
                .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                .Select(p => new KeyValuePair<string, string>(p.Name,
                    p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()!.Trim() : p.Value.GetRawText()));
            return new PromptMap(entries, path);
        }
    }

    /// <summary>The app's appsettings.json, found by walking up from <paramref name="startDirectory"/> to the repository root.</summary>
    public static string? FindDefaultFile(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsIvr.sln")))
            {
                var candidate = Path.Combine(directory.FullName, DefaultRelativePath);
                return File.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }

    /// <summary>The prompt's name(s) for a panel number, or null when the map does not know the number.</summary>
    public string? NameOf(string number)
    {
        var names = numbersByName.Where(p => p.Value == number).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? null : string.Join('/', names);
    }

    public string? NumberOf(string name) => numbersByName.TryGetValue(name, out var number) ? number : null;

    /// <summary>"2 (main_menu)" or just "2" when the number has no name here.</summary>
    public string Describe(string number) => NameOf(number) is { } name ? $"{number} ({name})" : number;
}
