using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace FunctionsIvr.Ivr;

public static class IvrEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Size limit, parsing and Hash check of IVR callbacks (<see cref="IvrRequestFilter"/>). The handler must not bind
    /// the body itself; it reads <c>httpContext.GetIvrParseResult()</c>.
    /// </summary>
    public static TBuilder ValidateIvrRequest<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEndpointFilter<TBuilder, IvrRequestFilter>();
        builder.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden),
            new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge));
        return builder;
    }
}
