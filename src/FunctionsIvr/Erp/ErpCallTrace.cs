using System.Globalization;

namespace FunctionsIvr.Erp;

/// <summary>
/// Collects the ERP calls made within a scope of async flow, e.g. while one callback is answered, so the call log
/// can say where the time went: <c>using var trace = ErpCallTrace.Begin(); ...; entry.ErpCalls = trace.Summary();</c>.
/// Scopes nest; a call is recorded in the innermost scope and every scope around it.
/// </summary>
public sealed class ErpCallTrace : IDisposable
{
    private static readonly AsyncLocal<ErpCallTrace?> CurrentTrace = new();

    private readonly ErpCallTrace? _outer;
    private readonly List<ErpCallRecord> _calls = [];
    private readonly Lock _lock = new();

    private ErpCallTrace(ErpCallTrace? outer) => _outer = outer;

    /// <summary>The innermost open scope of this async flow, if any.</summary>
    public static ErpCallTrace? Current => CurrentTrace.Value;

    public static ErpCallTrace Begin()
    {
        var trace = new ErpCallTrace(CurrentTrace.Value);
        CurrentTrace.Value = trace;
        return trace;
    }

    public IReadOnlyList<ErpCallRecord> Calls
    {
        get
        {
            lock (_lock) return _calls.ToArray();
        }
    }

    /// <summary>How many calls were recorded; unlike <see cref="Calls"/> it copies nothing (most callbacks make none).</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _calls.Count;
        }
    }

    public double TotalMs
    {
        get
        {
            lock (_lock)
            {
                var total = 0.0;
                foreach (var call in _calls) total += call.ElapsedMs;
                return total;
            }
        }
    }

    /// <summary>One line for a log or the call log, e.g. <c>GET /contacts 200 38 ms; POST /transactions 201 112 ms</c>.</summary>
    public string Summary() => Count == 0 ? "" : string.Join("; ", Calls.Select(c => c.ToString()));

    public void Dispose()
    {
        if (ReferenceEquals(CurrentTrace.Value, this)) CurrentTrace.Value = _outer;
    }

    internal static void Record(ErpCallRecord call)
    {
        for (var trace = CurrentTrace.Value; trace is not null; trace = trace._outer)
        {
            lock (trace._lock) trace._calls.Add(call);
        }
    }
}

/// <summary>One ERP call: the route template (never the ids in it), the final status (null when none came back), time taken.</summary>
public sealed record ErpCallRecord(string Method, string Route, int? Status, double ElapsedMs, int Attempts, ErpErrorKind? Error)
{
    public override string ToString()
    {
        var result = Status?.ToString(CultureInfo.InvariantCulture) ?? Error?.ToString() ?? "-";
        var retries = Attempts > 1 ? string.Create(CultureInfo.InvariantCulture, $" x{Attempts}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"{Method} {Route} {result} {ElapsedMs:0} ms{retries}");
    }
}
