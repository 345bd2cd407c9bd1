using System.Diagnostics;

namespace FunctionsIvr.Hosting;

/// <summary>
/// The dimensions every telemetry item of a call or message carries. They are set as tags on the request's
/// <see cref="Activity"/>; <see cref="CallTelemetryInitializer"/> copies them onto the request itself and onto every
/// dependency and trace recorded beneath it. Tags, not baggage: baggage would travel to the ERP in a header.
/// </summary>
public static class CallTelemetry
{
    public const string CallId = "CallId";
    public const string FunctionName = "FunctionName";
    public const string Step = "Step";

    internal static IReadOnlyList<string> Dimensions { get; } = [CallId, FunctionName, Step];

    /// <summary>
    /// The route template of an outbound request (<c>/contacts/{id}</c>), set by the client that sends it: telemetry
    /// names the dependency by it instead of a path holding ids, and drops the query, which may hold a phone number.
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> RouteOption = new("FunctionsIvr.Route");

    /// <summary>Marks the current request as an invocation of <paramref name="functionName"/>, for call <paramref name="callId"/> when known.</summary>
    public static void TagInvocation(string functionName, string? callId)
    {
        var activity = Activity.Current;
        if (activity is null) return;
        activity.SetTag(FunctionName, functionName);
        if (!string.IsNullOrEmpty(callId)) activity.SetTag(CallId, callId);
    }

    /// <summary>Records the call flow step the current request handled.</summary>
    public static void TagStep(string step)
    {
        Activity.Current?.SetTag(Step, step);
    }

    /// <summary>The nearest value of <paramref name="dimension"/> on the current activity or its parents.</summary>
    internal static string? Find(string dimension)
    {
        for (var activity = Activity.Current; activity is not null; activity = activity.Parent)
        {
            if (activity.GetTagItem(dimension) is string value) return value;
        }

        return null;
    }
}
