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
            .Validate(o => LinkTokens.IsLongEnough(o.SigningKey),
                $"Support:SigningKey (env Support__SigningKey) must be at least {LinkTokens.MinimumKeyLength} characters: 32 random bytes, base64.")
            .Validate(o => o.LinkLifetime >= LinkTokens.MinimumLifetime && o.LinkLifetime <= LinkTokens.MaximumLifetime,
                "Support:LinkLifetime (env Support__LinkLifetime) must be between 01:00:00 and 90.00:00:00.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
