using FunctionsIvr.DemoErp.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace FunctionsIvr.DemoErp.Hosting;

/// <summary>Writes <see cref="ProblemException"/> and malformed requests as RFC 9457 problem responses.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? details = exception switch
        {
            ProblemException p => ToDetails(p),
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode, Type = ProblemTypes.Validation, Title = "The request is not valid.", Detail = b.Message,
            },
            _ => null,
        };
        if (details is null) return false;

        httpContext.Response.StatusCode = details.Status ?? 500;
        // The exception handler clears the headers set before the throw; a 401 must say how to authenticate (RFC 9110).
        if (details.Status == 401) httpContext.Response.Headers.WWWAuthenticate = ApiKeyMiddleware.Challenge;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = details, Exception = exception });
    }

    private static ProblemDetails ToDetails(ProblemException p)
    {
        var details = new ProblemDetails { Status = p.Status, Type = p.Type, Title = p.Title, Detail = p.Message };
        foreach (var (name, value) in p.Extensions) details.Extensions[name] = value;
        return details;
    }
}
