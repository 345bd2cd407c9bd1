namespace FunctionsIvr.DemoErp;

/// <summary>Section <c>DemoErp</c> (env <c>DemoErp__ApiKey</c>, <c>DemoErp__LatencyMs</c>, ...).</summary>
public sealed class DemoErpOptions
{
    public const string SectionName = "DemoErp";

    /// <summary>Expected in the <c>X-Api-Key</c> header of every request but <c>/health</c>, <c>/admin</c> included.</summary>
    public string ApiKey { get; set; } = "demo-key";

    /// <summary>How long a prepared transaction holds its stock when the request names no <c>ttlSeconds</c>.</summary>
    public int PrepareTtlSeconds { get; set; } = 600;

    /// <summary>
    /// The seeded stock of every product is multiplied by this on start and on reset, so a load run can place
    /// thousands of orders without running a product out; 1 is the seed as documented. Out-of-stock stays out of stock.
    /// </summary>
    public int StockMultiplier { get; set; } = 1;

    /// <summary>Delay added to every contract request.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Share of contract requests (0..1) answered with <see cref="FailStatus"/> instead.</summary>
    public double FailureRate { get; set; }

    public int FailStatus { get; set; } = 503;

    /// <summary>Overrides for paths starting with a prefix (the longest matching prefix wins).</summary>
    public List<PathFault> PathFaults { get; set; } = [];

    public FaultSettings Faults() => new()
    {
        LatencyMs = LatencyMs,
        FailureRate = FailureRate,
        FailStatus = FailStatus,
        PathFaults = [.. PathFaults],
    };
}

/// <summary>What is injected: the settings' shape, also the body of <c>POST /admin/faults</c>.</summary>
public sealed record FaultSettings
{
    public int LatencyMs { get; init; }
    public double FailureRate { get; init; }
    public int FailStatus { get; init; } = 503;
    public IReadOnlyList<PathFault> PathFaults { get; init; } = [];

    /// <summary>The settings in force for <paramref name="path"/>: the longest matching prefix's values over the global ones.</summary>
    public (int LatencyMs, double FailureRate, int FailStatus) For(string path)
    {
        var match = PathFaults
            .Where(p => !string.IsNullOrEmpty(p.Prefix) && path.StartsWith(p.Prefix, StringComparison.OrdinalIgnoreCase))
            .MaxBy(p => p.Prefix!.Length);
        return (match?.LatencyMs ?? LatencyMs, match?.FailureRate ?? FailureRate, match?.FailStatus ?? FailStatus);
    }
}

public sealed record PathFault
{
    public string? Prefix { get; init; }
    public int? LatencyMs { get; init; }
    public double? FailureRate { get; init; }
    public int? FailStatus { get; init; }
}
