using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// infra/ compiled by the real Bicep CLI, as `azd provision` compiles it: scripts/bicep-build.sh fetches the CLI from
/// NuGet into .tools/bicep on first use. A Bicep error, or a warning of the compiler or its linter, fails here instead
/// of in a deployment. (<see cref="InfraTemplateTests"/> checks the wiring between the files.)
/// </summary>
public partial class InfraCompileTests
{
    [Fact]
    public async Task MainBicep_CompilesWithoutErrorsOrWarnings_ToATemplateWithTheOutputsAzdReads()
    {
        var (exitCode, output) = await CommandLine.RunAsync("bash", ["scripts/bicep-build.sh"], TimeSpan.FromMinutes(5));

        Assert.True(exitCode == 0, $"scripts/bicep-build.sh exited {exitCode}:\n{output}");
        var diagnostics = Diagnostic().Matches(output).Select(m => m.Value).ToList();
        Assert.True(diagnostics.Count == 0, "Bicep reported:\n" + string.Join('\n', diagnostics));

        using var template = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, ".artifacts", "bicep", "main.json")));
        var outputs = template.RootElement.GetProperty("outputs");
        foreach (var name in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_FUNCTION_NAME", "SERVICE_API_NAME", "SERVICE_API_ENDPOINT" })
        {
            Assert.True(outputs.TryGetProperty(name, out _), $"the compiled template has no output {name}");
        }
    }

    /// <summary>A compiler or linter diagnostic line: <c>main.bicep(197,30) : Warning BCP318: …</c>.</summary>
    [GeneratedRegex(@"^.*\(\d+,\d+\) : (Error|Warning) .*$", RegexOptions.Multiline)]
    private static partial Regex Diagnostic();
}
