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
        // One filter for the endpoint, not one per callback (the typed overload builds a new one for every request).
        builder.AddEndpointFilterFactory(static (factory, next) =>
        {
            var filter = ActivatorUtilities.CreateInstance<IvrRequestFilter>(factory.ApplicationServices);
            return invocation => filter.InvokeAsync(invocation, next);
        });
        builder.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden),
            new ProducesResponseTypeMetadata(StatusCodes.Status413PayloadTooLarge));
        return builder;
    }
}
