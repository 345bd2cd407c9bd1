using Microsoft.ApplicationInsights.Channel;
using Microsoft.ApplicationInsights.DataContracts;
using Microsoft.ApplicationInsights.Extensibility;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Keeps secrets and personal data out of request and dependency telemetry: query strings go (the forwarded webhook
/// carries the function key in <c>?code=</c>, the ERP contact lookup the caller's number in <c>?phone=</c>), and an
/// outbound request tagged with <see cref="CallTelemetry.RouteOption"/> is named by its route template, not its ids.
/// </summary>
internal sealed class TelemetryRedactionInitializer : ITelemetryInitializer
{
    private const string HttpRequestDetail = "HttpRequest";

    public void Initialize(ITelemetry telemetry)
    {
        switch (telemetry)
        {
            case RequestTelemetry request when request.Url is { } url:
                request.Url = WithoutQuery(url);
                break;
            case DependencyTelemetry dependency when string.Equals(dependency.Type, "Http", StringComparison.OrdinalIgnoreCase):
                RedactHttpDependency(dependency);
                break;
        }
    }

    private static void RedactHttpDependency(DependencyTelemetry dependency)
    {
        if (dependency.TryGetOperationDetail(HttpRequestDetail, out var detail)
            && detail is HttpRequestMessage { RequestUri: { IsAbsoluteUri: true } uri } message
            && message.Options.TryGetValue(CallTelemetry.RouteOption, out var route))
        {
            dependency.Name = $"{message.Method.Method} {route}";
            dependency.Data = uri.GetLeftPart(UriPartial.Authority) + route;
            return;
        }

        if (Uri.TryCreate(dependency.Data, UriKind.Absolute, out var data))
        {
            dependency.Data = WithoutQuery(data).ToString();
        }
    }

    private static Uri WithoutQuery(Uri url) =>
        url.IsAbsoluteUri && url.Query.Length > 0 ? new Uri(url.GetLeftPart(UriPartial.Path)) : url;
}
