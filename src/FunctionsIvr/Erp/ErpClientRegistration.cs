using Azure.Core;
using FunctionsIvr.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Erp;

public static class ErpClientRegistration
{
    /// <summary>
    /// Registers <see cref="ErpClient"/> as a typed HttpClient bound to the <c>Erp</c> section, validated on start.
    /// The circuit breaker and the token cache are singletons. A <see cref="TokenCredential"/> registered by the app is
    /// used for <see cref="ErpClientOptions.Scope"/>; otherwise <c>DefaultAzureCredential</c>.
    /// </summary>
    public static IHostApplicationBuilder AddErpClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ErpClientOptions>().BindConfiguration(ErpClientOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ErpClientOptions>, ErpClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ErpResilience(
            Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ErpResilience>>()));
        services.TryAddSingleton(sp => new ErpAuthentication(
            Options(sp), sp.GetService<TokenCredential>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ErpAuthentication>>()));

        services.TryAddSingleton(sp => new ErpReadCache(sp.GetRequiredService<TimeProvider>()));

        // ErpClient logs every call itself (method, route template, status, time, attempts) with ids masked; the
        // factory's own loggers would add a scope to every request and, at Information, log full URLs with numbers in them.
        // A redirect is not followed: the API key rides in its own header, which HttpClient would carry to any host the
        // ERP (or a proxy before it) points at, with the body of a write. A 3xx is a failure to fix in the middleware.
        services.AddHttpClient(nameof(ErpClient)).RemoveAllLoggers().ConfigurePrimaryHttpMessageHandler(OutboundHttp.NoRedirects).AddTypedClient((http, sp) =>
            {
                var options = Options(sp);
                http.BaseAddress = options.BaseUrl is { } url && !url.AbsoluteUri.EndsWith('/') ? new Uri(url.AbsoluteUri + "/") : options.BaseUrl;
                // Deadlines come from the per-attempt timeout and the caller's token, never from HttpClient.Timeout.
                http.Timeout = Timeout.InfiniteTimeSpan;
                return new ErpClient(http, options, sp.GetRequiredService<ErpResilience>(), sp.GetRequiredService<ErpAuthentication>(),
                    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ErpClient>>(), sp.GetRequiredService<ErpReadCache>(),
                    sp.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? default);
            });
        return builder;
    }

    private static ErpClientOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<ErpClientOptions>>().Value;
}
