using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace FunctionsIvr.Ivr;

/// <summary>
/// The handler's answer to a callback: 200 with one action and the optional Session. The JSON is produced when the
/// result is created, so an invalid action throws inside the handler, where the fallback path can still answer.
/// </summary>
public sealed class IvrActionResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IEndpointMetadataProvider
{
    private readonly byte[] _body;

    public IvrActionResult(IvrAction action, JsonObject? session = null)
    {
        Action = action;
        _body = IvrResponseWriter.ToUtf8Json(action, session);
    }

    /// <param name="signedSession">The Session as <see cref="SessionCodec.EncodeToUtf8"/> wrote it.</param>
    public IvrActionResult(IvrAction action, byte[] signedSession)
    {
        ArgumentNullException.ThrowIfNull(signedSession);
        Action = action;
        _body = IvrResponseWriter.ToUtf8JsonWithSignedSession(action, signedSession);
    }

    public IvrAction Action { get; }

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => IvrResponseWriter.ContentType;

    /// <summary>The exact bytes sent to the platform.</summary>
    public ReadOnlyMemory<byte> Body => _body;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return IvrResponseWriter.WriteBodyAsync(httpContext.Response, _body, httpContext.RequestAborted);
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(IvrActionResult), ["application/json"]));
    }
}
