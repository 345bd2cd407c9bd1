using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Ivr;

public static class IvrHostApplicationBuilderExtensions
{
    /// <summary>
    /// <see cref="IvrOptions"/> from section <c>Ivr</c>, validated when the app starts, and the <see cref="SessionCodec"/>.
    /// Endpoints opt in to the callback checks with <c>.ValidateIvrRequest()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddIvrProtocol(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<IvrOptions>().BindConfiguration(IvrOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IvrOptions>, IvrOptionsValidator>());
        builder.Services.TryAddSingleton<SessionCodec>();
        return builder;
    }
}
