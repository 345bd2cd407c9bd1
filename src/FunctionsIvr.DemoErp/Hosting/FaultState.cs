using Microsoft.Extensions.Options;

namespace FunctionsIvr.DemoErp.Hosting;

/// <summary>The faults in force: the configured ones until <c>POST /admin/faults</c> replaces them.</summary>
public sealed class FaultState(IOptions<DemoErpOptions> options)
{
    private volatile FaultSettings _current = options.Value.Faults();

    public FaultSettings Configured { get; } = options.Value.Faults();

    public FaultSettings Current
    {
        get => _current;
        set => _current = value;
    }
}
