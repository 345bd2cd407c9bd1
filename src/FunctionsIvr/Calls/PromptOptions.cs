using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>Logical prompt name -> the panel's prompt number, from the <c>Prompts</c> configuration section.</summary>
public sealed class PromptOptions
{
    public const string SectionName = "Prompts";

    public Dictionary<string, string> Numbers { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Fails startup when a prompt a flow plays has no panel number, naming the setting to add.</summary>
internal sealed class PromptOptionsValidator(CallFlow flow) : IValidateOptions<PromptOptions>
{
    public ValidateOptionsResult Validate(string? name, PromptOptions options)
    {
        var failures = new List<string>();
        foreach (var prompt in flow.Prompts.Order(StringComparer.Ordinal))
        {
            if (!options.Numbers.TryGetValue(prompt, out var number) || string.IsNullOrWhiteSpace(number))
                failures.Add($"Prompts:{prompt} (env Prompts__{prompt}) is not set: map it to the panel's prompt number.");
            else if (!number.All(char.IsAsciiDigit))
                failures.Add($"Prompts:{prompt} is '{number}': a panel prompt number is digits only.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
