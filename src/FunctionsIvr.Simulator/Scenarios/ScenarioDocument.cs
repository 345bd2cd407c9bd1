namespace FunctionsIvr.Simulator.Scenarios;

// The YAML shape of a scenario file, as written by people; ScenarioLoader checks it and builds a Scenario.
// Documented in docs/scenarios.md.

internal sealed class ScenarioDocument
{
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Hash { get; set; }
    public string? Encoding { get; set; }
    public int? BudgetMs { get; set; }
    public List<ExchangeDocument?>? Exchanges { get; set; }
}

internal sealed class ExchangeDocument
{
    public ExpectDocument? Expect { get; set; }
    public bool Optional { get; set; }
    public string? Digits { get; set; }
    public string? Status { get; set; }
    public ErrorDocument? Error { get; set; }
    public bool Repeat { get; set; }
    public bool End { get; set; }
}

internal sealed class ExpectDocument
{
    public string? Type { get; set; }
    public string? Prompt { get; set; }
    public string? Destination { get; set; }
    public string? Options { get; set; }
    public string? Say { get; set; }
    public string? Step { get; set; }
    public Dictionary<string, string>? Params { get; set; }
    public Dictionary<string, object?>? Session { get; set; }
    public int? Http { get; set; }
}

internal sealed class ErrorDocument
{
    public string? No { get; set; }
    public string? Msg { get; set; }
}
