using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// How infra/main.bicep, its modules and main.parameters.json fit together: the wiring mistakes that would otherwise
/// surface only in `azd provision` (a misspelt or missing parameter, an unknown output, parameters azd cannot map).
/// The real compiler runs in <see cref="InfraCompileTests"/>.
/// </summary>
public partial class InfraTemplateTests
{
    private static readonly string InfraFolder = Path.Combine(RepoPaths.Root, "infra");
    private static readonly BicepFile Main = BicepFile.Load(Path.Combine(InfraFolder, "main.bicep"));

    [Fact]
    public void MainBicep_ModulePaths_AllExist()
    {
        Assert.NotEmpty(Main.Modules);
        foreach (var module in Main.Modules)
        {
            Assert.True(File.Exists(module.TargetPath), $"module {module.Symbol} points at a missing file {module.TargetPath}");
        }
    }

    [Fact]
    public void MainBicep_ModuleCalls_PassOnlyDeclaredParameters()
    {
        foreach (var module in Main.Modules)
        {
            var declared = BicepFile.Load(module.TargetPath).Parameters;
            var unknown = module.PassedParameters.Where(p => !declared.ContainsKey(p)).ToList();
            Assert.True(unknown.Count == 0, $"module {module.Symbol} passes parameters {Path.GetFileName(module.TargetPath)} does not declare: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void MainBicep_ModuleCalls_PassEveryRequiredParameter()
    {
        foreach (var module in Main.Modules)
        {
            var required = BicepFile.Load(module.TargetPath).Parameters.Where(p => !p.Value).Select(p => p.Key);
            var missing = required.Except(module.PassedParameters).ToList();
            Assert.True(missing.Count == 0, $"module {module.Symbol} does not pass required parameters: {string.Join(", ", missing)}");
        }
    }

    [Fact]
    public void MainBicep_ModuleOutputsUsed_AreDeclaredByTheModule()
    {
        var modules = Main.Modules.ToDictionary(m => m.Symbol, m => BicepFile.Load(m.TargetPath));
        var uses = OutputUse().Matches(Main.Code).Select(m => (Module: m.Groups["module"].Value, Output: m.Groups["output"].Value)).Distinct().ToList();
        Assert.NotEmpty(uses);

        foreach (var (module, output) in uses)
        {
            Assert.True(modules.ContainsKey(module), $"{module}.outputs used, but there is no module {module}");
            Assert.True(modules[module].Outputs.Contains(output), $"{module}.outputs.{output} used, but {Path.GetFileName(modules[module].FilePath)} has no output {output}");
        }
    }

    [Fact]
    public void MainParametersJson_MatchesMainBicepParameters()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(InfraFolder, "main.parameters.json")));
        var given = document.RootElement.GetProperty("parameters").EnumerateObject().Select(p => p.Name).ToList();

        var undeclared = given.Where(p => !Main.Parameters.ContainsKey(p)).ToList();
        Assert.True(undeclared.Count == 0, $"main.parameters.json sets parameters main.bicep does not declare: {string.Join(", ", undeclared)}");
        var unmapped = Main.Parameters.Where(p => !p.Value).Select(p => p.Key).Except(given).ToList();
        Assert.True(unmapped.Count == 0, $"main.bicep requires parameters main.parameters.json does not map: {string.Join(", ", unmapped)}");
    }

    [Fact]
    public void MainBicep_HasTheOutputsAzdReads()
    {
        foreach (var output in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_FUNCTION_NAME", "SERVICE_API_NAME", "SERVICE_API_ENDPOINT" })
        {
            Assert.Contains(output, Main.Outputs);
        }
    }

    [Fact]
    public void FunctionApp_IsTaggedForTheAzdService()
    {
        // azd deploys service "api" (azure.yaml) to the resource tagged azd-service-name: api.
        var azureYaml = File.ReadAllText(Path.Combine(RepoPaths.Root, "azure.yaml"));
        var service = ServiceName().Match(azureYaml);
        Assert.True(service.Success, "azure.yaml declares no service");

        var function = BicepFile.Load(Path.Combine(InfraFolder, "app", "function.bicep"));
        Assert.Contains($"'azd-service-name': '{service.Groups["name"].Value}'", function.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void TransferLogins_AreWrittenWhenEitherIsGiven()
    {
        // The app requires both (TransferOptionsValidator) and stops start-up naming the empty one. Written only when
        // the agent login was given, a team queue set alone was dropped and the placeholder logins of appsettings.json
        // stayed in use on a live line.
        var function = BicepFile.Load(Path.Combine(InfraFolder, "app", "function.bicep"));
        var condition = TransferSettingsCondition().Match(function.Code);
        Assert.True(condition.Success, "function.bicep has no transferSettings variable");
        Assert.Equal("empty(transferAgentLogin) && empty(transferTeamQueue)", condition.Groups["condition"].Value.Trim());
    }

    [GeneratedRegex(@"^var transferSettings = (?<condition>[^?\n]+)\?", RegexOptions.Multiline)]
    private static partial Regex TransferSettingsCondition();

    [GeneratedRegex(@"\b(?<module>\w+)!?\.outputs\.(?<output>\w+)")]
    private static partial Regex OutputUse();

    [GeneratedRegex(@"^services:\s*\n\s+(?<name>[\w-]+):", RegexOptions.Multiline)]
    private static partial Regex ServiceName();
}
