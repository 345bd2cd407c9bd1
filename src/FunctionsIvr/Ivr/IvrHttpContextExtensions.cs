using Microsoft.AspNetCore.Http;

namespace FunctionsIvr.Ivr;

public static class IvrHttpContextExtensions
{
    /// <summary>
    /// The callback as <see cref="IvrRequestFilter"/> read it: a request, or the reason it is unusable (only reachable
    /// when no Hash is configured, or when the body carried the right Hash but no UniqueCallId). The Hash is removed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The endpoint lacks <c>.ValidateIvrRequest()</c>.</exception>
    public static IvrParseResult GetIvrParseResult(this HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<IvrParseResult>()
            ?? throw new InvalidOperationException("No IVR callback on this request: add .ValidateIvrRequest() to the endpoint.");
    }

    /// <summary>The parsed callback, or null when the body was unusable (see <see cref="GetIvrParseResult"/> for why).</summary>
    public static IvrRequest? GetIvrRequest(this HttpContext httpContext) => httpContext.GetIvrParseResult().Request;
}
