using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// The settings Bicep gives the app, the settings docs/configuration.md documents and the connections the
/// function.json files name must agree: a setting nobody documented, or a trigger whose connection Azure never
/// gets, shows up here and not as a dead function after `azd up`.
/// </summary>
public partial class ConfigContractTests
{
    private static readonly string FunctionBicep = Path.Combine(RepoPaths.Root, "infra", "app", "function.bicep");
    private static readonly IReadOnlyDictionary<string, string> BicepSettings = ReadBicepSettings();
    private static readonly IReadOnlyList<DocumentedSetting> Documented = ReadDocumentedSettings();

    [Fact]
    public void BicepAppSettings_AreFound()
    {
        // Guards the parsing below: an emptied or renamed block would make every other test pass vacuously.
        Assert.True(BicepSettings.Count >= 10, $"found only {BicepSettings.Count} settings between the app settings markers of function.bicep");
        Assert.True(Documented.Count >= 10, $"found only {Documented.Count} rows in docs/configuration.md");
    }

    /// <summary>
    /// The call log link travels in tickets, e-mails and WhatsApp messages: it carries no Functions key, so the page is
    /// anonymous (its per-call token guards it), and it is made absolute on the app's own address.
    /// </summary>
    [Fact]
    public void CallLogPage_OpensFromAnEscalationLink()
    {
        var binding = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsFolder, "CallLogPage", "function.json")))!["bindings"]![0]!;

        Assert.Equal("anonymous", (string?)binding["authLevel"]);
        Assert.Equal("'https://${site.properties.defaultHostName}'", BicepSettings["Escalations__PublicBaseUrl"]);
    }

    /// <summary>
    /// Every escalation creates a ticket. Without a helpdesk the ticket goes to a local folder, which the read-only
    /// package in Azure cannot hold, so every escalation would end as a dead letter. A setting added by hand would be
    /// removed by the next `azd provision`: the helpdesk has to be something azd sets.
    /// </summary>
    [Fact]
    public void HelpdeskTicketChannel_IsSetByBicep_WithItsTokenInKeyVault()
    {
        var main = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.bicep"));
        var parameters = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json"));

        Assert.Equal("helpdeskUrl", BicepSettings.GetValueOrDefault("Escalations__Ticket__Url"));
        Assert.Equal("'@Microsoft.KeyVault(SecretUri=${secretUriBase}helpdesk-token)'", BicepSettings.GetValueOrDefault("Escalations__Ticket__Token"));
        Assert.Contains("'helpdesk-token': helpdeskToken", main, StringComparison.Ordinal);
        // The URL alone turns it on, so a token set in the vault directly (the production way) is used.
        Assert.Contains("helpdeskEnabled: !empty(helpdeskUrl)\n", main.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("${HELPDESK_URL}", parameters, StringComparison.Ordinal);
        Assert.Contains("${HELPDESK_TOKEN}", parameters, StringComparison.Ordinal);
    }

    /// <summary>
    /// An ERP middleware behind Entra ID needs Erp:Scope; a setting added by hand is removed by the next `azd provision`,
    /// and every ERP call would then go without its token.
    /// </summary>
    [Fact]
    public void ErpScope_IsSetByBicep_FromAzd()
    {
        var parameters = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json"));

        Assert.Equal("erpScope", BicepSettings.GetValueOrDefault("Erp__Scope"));
        Assert.Contains("\"erpScope\": { \"value\": \"${ERP_SCOPE}\" }", parameters, StringComparison.Ordinal);
    }

    [Fact]
    public void BicepAppSettings_AreEachDocumented()
    {
        var documented = Documented.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var undocumented = BicepSettings.Keys.Where(n => !documented.Contains(n)).ToList();

        Assert.True(undocumented.Count == 0, $"function.bicep sets settings docs/configuration.md does not list: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void DocumentedAsSetByBicep_AreSetByBicep()
    {
        var missing = Documented.Where(d => d.SetByBicep).Select(d => d.Name).Where(n => !BicepSettings.ContainsKey(n)).ToList();

        Assert.True(missing.Count == 0, $"docs/configuration.md says Bicep sets these, function.bicep does not: {string.Join(", ", missing)}");
    }

    [Fact]
    public void SecretSettings_SetByBicep_AreKeyVaultReferences()
    {
        foreach (var secret in Documented.Where(d => d.Secret && BicepSettings.ContainsKey(d.Name)))
        {
            Assert.True(BicepSettings[secret.Name].StartsWith("'@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal),
                $"{secret.Name} is a secret but function.bicep sets it to {BicepSettings[secret.Name]}, not a Key Vault reference");
        }
    }

    [Fact]
    public void BicepAppSettings_LeaveOutWhatFlexConsumptionRejects()
    {
        string[] rejected =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE", "SCM_DO_BUILD_DURING_DEPLOYMENT",
            "AzureWebJobsStorage", // a connection string needs shared keys, which are off
        ];

        Assert.Empty(BicepSettings.Keys.Intersect(rejected));
    }

    [Fact]
    public void EveryConnection_TheHostNeeds_IsSetByBicep()
    {
        // Host storage always; plus every binding's `connection` (a setting prefix), or the extension's default.
        var connections = new HashSet<string>(StringComparer.Ordinal) { "AzureWebJobsStorage" };
        foreach (var file in Directory.GetFiles(RepoPaths.FunctionsFolder, "function.json", SearchOption.AllDirectories))
        {
            foreach (var binding in JsonNode.Parse(File.ReadAllText(file))!["bindings"]!.AsArray())
            {
                var type = (string?)binding!["type"] ?? "";
                var connection = (string?)binding["connection"] ?? DefaultConnection(type);
                if (connection is not null)
                {
                    connections.Add(connection);
                }
            }
        }

        foreach (var connection in connections)
        {
            Assert.True(BicepSettings.Keys.Any(n => n == connection || n.StartsWith(connection + "__", StringComparison.Ordinal)),
                $"connection '{connection}' has no setting in function.bicep: the host could not connect in Azure");
        }
    }

    [Fact]
    public void ServiceBusConnections_UseTheAppIdentity()
    {
        var serviceBusConnections = Directory.GetFiles(RepoPaths.FunctionsFolder, "function.json", SearchOption.AllDirectories)
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["bindings"]!.AsArray())
            .Where(b => ((string?)b!["type"] ?? "").StartsWith("serviceBus", StringComparison.Ordinal))
            .Select(b => (string?)b!["connection"] ?? "AzureWebJobsServiceBus")
            .Append("ServiceBusConnection") // the app's own sends use it even before a trigger exists
            .Distinct();

        foreach (var connection in serviceBusConnections)
        {
            Assert.True(BicepSettings.ContainsKey(connection + "__fullyQualifiedNamespace"), $"{connection}__fullyQualifiedNamespace is not set");
            Assert.Equal("'managedidentity'", BicepSettings.GetValueOrDefault(connection + "__credential"));
            Assert.True(BicepSettings.ContainsKey(connection + "__clientId"), $"{connection}__clientId is not set: the host would look for a system-assigned identity");
        }
    }

    [Fact]
    public void LocalSettingsSample_NamesOnlyDocumentedSettings()
    {
        var documented = Documented.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "local.settings.sample.json")));
        var undocumented = sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)
            .Where(n => !documented.Contains(n)).ToList();

        Assert.True(undocumented.Count == 0, $"local.settings.sample.json has settings docs/configuration.md does not list: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void AppSectionSettings_InBicepAndDocs_NameAnOptionsProperty()
    {
        // A misspelt key (Token for AccessToken) binds to nothing: the app starts, the value is silently unused.
        var unbound = BicepSettings.Keys.Concat(Documented.Select(d => d.Name)).Distinct()
            .Where(name => AppSections.ContainsKey(name.Split("__")[0]) && !BindsToProperty(name))
            .ToList();

        Assert.True(unbound.Count == 0, $"settings no options property reads: {string.Join(", ", unbound)}");
    }

    [Fact]
    public void IvrSayParameterNames_Documented()
    {
        // The platform does not publish them: whoever deploys must find the setting to put the confirmed names in.
        var say = Documented.Where(d => d.Name.StartsWith("Ivr__SayParameterNames__", StringComparison.Ordinal)).ToList();

        Assert.True(say.Count > 0, "docs/configuration.md has no Ivr__SayParameterNames__<action> row");
        Assert.All(say, d => Assert.True(BindsToProperty(d.Name), $"{d.Name} binds to no IvrOptions property"));
    }

    [Fact]
    public void IvrAnswerModeParameter_AllowsOnlyValuesTheAppAccepts()
    {
        // A value the enum does not know stops the app at start, after a successful deployment.
        var bicep = File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.bicep"));
        var allowed = AnswerModeAllowed().Match(bicep);
        Assert.True(allowed.Success, "main.bicep has no @allowed([...]) on param ivrAnswerMode");

        var values = allowed.Groups["values"].Value.Split(',').Select(v => v.Trim().Trim('\'')).ToList();

        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.True(Enum.TryParse<FunctionsIvr.Ivr.IvrAnswerMode>(v, ignoreCase: true, out _), $"ivrAnswerMode '{v}' is not an IvrAnswerMode"));
    }

    [Fact]
    public void IvrAnswerModeDeploymentDefault_IsTheAppsDefault()
    {
        // Auto moves on documented callbacks only; App waits for a callback after Answer that the platform does not document.
        var expected = new FunctionsIvr.Ivr.IvrOptions().AnswerMode.ToString();
        var bicep = AnswerModeBicepDefault().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.bicep")));
        var parameters = AnswerModeAzdDefault().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "main.parameters.json")));
        Assert.True(bicep.Success, "main.bicep has no default on param ivrAnswerMode");
        Assert.True(parameters.Success, "main.parameters.json has no ${IVR_ANSWER_MODE=...} default");

        Assert.Equal((expected, expected), (bicep.Groups["value"].Value, parameters.Groups["value"].Value));
    }

    /// <summary>The sections the app binds to options classes, by their section name.</summary>
    private static readonly IReadOnlyDictionary<string, Type> AppSections = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [FunctionsIvr.Erp.ErpClientOptions.SectionName] = typeof(FunctionsIvr.Erp.ErpClientOptions),
        [FunctionsIvr.Ivr.IvrOptions.SectionName] = typeof(FunctionsIvr.Ivr.IvrOptions),
        [FunctionsIvr.Escalations.EscalationOptions.SectionName] = typeof(FunctionsIvr.Escalations.EscalationOptions),
        [FunctionsIvr.State.StateOptions.SectionName] = typeof(FunctionsIvr.State.StateOptions),
    };

    /// <summary>
    /// Walks <c>Section__Property__Property</c> through the options type, ignoring case as the configuration binder does.
    /// Below a dictionary property any name is a key (<c>Ivr__SayParameterNames__SayNumber</c>).
    /// </summary>
    private static bool BindsToProperty(string setting)
    {
        var parts = setting.Split("__");
        var type = AppSections[parts[0]];
        foreach (var part in parts.Skip(1))
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>) && type.GetGenericArguments()[0] == typeof(string))
            {
                type = type.GetGenericArguments()[1];
                continue;
            }

            var property = type.GetProperty(part, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite) return false;
            type = property.PropertyType;
        }

        return parts.Length > 1;
    }

    private static string? DefaultConnection(string bindingType) => bindingType switch
    {
        "serviceBusTrigger" or "serviceBus" => "AzureWebJobsServiceBus",
        "queueTrigger" or "queue" or "blobTrigger" or "blob" or "table" => "AzureWebJobsStorage",
        _ => null,
    };

    /// <summary>Setting name -> Bicep value expression, from the block between "// app settings: begin" and "end".</summary>
    private static Dictionary<string, string> ReadBicepSettings()
    {
        var text = File.ReadAllText(FunctionBicep);
        var block = SettingsBlock().Match(text);
        Assert.True(block.Success, "function.bicep has no '// app settings: begin' ... '// app settings: end' block");

        return SettingLine().Matches(block.Groups["body"].Value)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim(), StringComparer.Ordinal);
    }

    private static List<DocumentedSetting> ReadDocumentedSettings()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "configuration.md"));
        var settings = new List<DocumentedSetting>();
        foreach (var line in lines)
        {
            var row = DocumentedRow().Match(line);
            if (!row.Success)
            {
                continue;
            }

            var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length >= 6, $"docs/configuration.md row has {cells.Length} columns, expected 6: {line}");
            var bicep = cells[4];
            settings.Add(new DocumentedSetting(
                row.Groups["name"].Value,
                Secret: cells[3] == "yes",
                SetByBicep: bicep.StartsWith("yes", StringComparison.Ordinal) || bicep == "when given"));
        }

        return settings;
    }

    private sealed record DocumentedSetting(string Name, bool Secret, bool SetByBicep);

    [GeneratedRegex(@"// app settings: begin\n(?<body>.*?)// app settings: end", RegexOptions.Singleline)]
    private static partial Regex SettingsBlock();

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?<value>.+)$", RegexOptions.Multiline)]
    private static partial Regex SettingLine();

    [GeneratedRegex(@"@allowed\(\[(?<values>[^\]]*)\]\)\s*param ivrAnswerMode\b")]
    private static partial Regex AnswerModeAllowed();

    [GeneratedRegex(@"\bparam ivrAnswerMode string = '(?<value>[^']*)'")]
    private static partial Regex AnswerModeBicepDefault();

    [GeneratedRegex(@"\$\{IVR_ANSWER_MODE=(?<value>[^}]*)\}")]
    private static partial Regex AnswerModeAzdDefault();

    [GeneratedRegex(@"^\|\s*`(?<name>[^`]+)`\s*\|")]
    private static partial Regex DocumentedRow();
}
