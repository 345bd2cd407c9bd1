using System.Security.Cryptography;
using System.Text;
using FunctionsIvr.DemoErp.Data;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.DemoErp.Hosting;

/// <summary>Every path but <c>/health</c> needs <c>X-Api-Key</c>; a wrong or missing key gets a 401 problem.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<DemoErpOptions> options)
{
    public const string HeaderName = "X-Api-Key";

    /// <summary>The <c>WWW-Authenticate</c> value of a 401 (written by <see cref="ProblemExceptionHandler"/>).</summary>
    public const string Challenge = "ApiKey header=\"" + HeaderName + "\"";

    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.Value.ApiKey);

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/health")) return next(context);

        var given = Encoding.UTF8.GetBytes(context.Request.Headers[HeaderName].ToString());
        if (CryptographicOperations.FixedTimeEquals(given, _expected)) return next(context);

        throw new ProblemException(401, ProblemTypes.Unauthorized, "Unauthorized.", "A valid " + HeaderName + " header is required.");
    }
}
