namespace FunctionsIvr.Tests.Scenarios;

/// <summary>
/// The scenario suite runs alone: hosts built from an entry point (<c>WebApplication.CreateBuilder</c>, the
/// factories of other tests) are hooked through process-wide diagnostic events, and a factory starting at the same
/// time can configure the wrong host (seen as "Addresses cannot be modified after the server has started").
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScenarioSuiteCollection
{
    public const string Name = "Scenario suite";
}
