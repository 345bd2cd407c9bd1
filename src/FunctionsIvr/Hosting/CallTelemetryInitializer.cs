using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Puts <see cref="CallTelemetry"/>'s dimensions (CallId, FunctionName, Step) on requests, dependencies and traces,
/// so one call's whole story is a filter on <c>customDimensions.CallId</c>.
/// </summary>
internal sealed class CallTelemetryInitializer : ITelemetryInitializer
{
    public void Initialize(ITelemetry telemetry)
    {
        if (telemetry is not ISupportProperties item) return;
        foreach (var dimension in CallTelemetry.Dimensions)
        {
            // The request's own value wins over a log scope's (some scopes carry a masked id): one call, one CallId.
            if (CallTelemetry.Find(dimension) is { } value) item.Properties[dimension] = value;
        }
    }
}
