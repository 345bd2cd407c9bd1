using FunctionsIvr.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.Support;

public static class SupportRegistration
{
    /// <summary>The call log page: <see cref="SupportOptions"/> from <c>Support</c>.</summary>
    public static IHostApplicationBuilder AddSupportPages(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SupportOptions>().Bind(builder.Configuration.GetSection(SupportOptions.SectionName))
            .ValidateLinkSettings(SupportOptions.SectionName, o => o.SigningKey, o => o.LinkLifetime)
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
