using Microsoft.Extensions.Hosting;

namespace FunctionsIvr.Hosting;

/// <summary>
/// In Azure the secrets are Key Vault references. When the vault lacks a secret, or the app's identity cannot read it,
/// App Service hands the app the reference's own text instead: the app starts, and whatever uses that setting fails
/// later, far from the cause (a helpdesk answering 401 to every ticket, the ERP refusing every call). So each setting
/// still holding a reference is logged at start, by its key (the value names only the vault and the secret).
/// The signing keys have their own stricter checks: an unresolved <c>Ivr:Hash</c> or <c>Ivr:SessionKey</c> stops start-up.
/// </summary>
internal sealed partial class KeyVaultReferenceCheck(IConfiguration configuration, ILogger<KeyVaultReferenceCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var key in UnresolvedKeys(configuration)) Log.Unresolved(logger, key, key.Replace(":", "__", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The keys whose value is still an unresolved <c>@Microsoft.KeyVault(…)</c> reference, in key order.</summary>
    public static IReadOnlyList<string> UnresolvedKeys(IConfiguration configuration) =>
        configuration.AsEnumerable()
            .Where(setting => IsReference(setting.Value))
            .Select(setting => setting.Key)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();

    private static bool IsReference(string? value) =>
        value is not null && value.TrimStart().StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Error,
            Message = "Setting {Key} (env {EnvironmentVariable}) is a Key Vault reference that did not resolve: the vault lacks the secret or the app's identity cannot read it, so what uses it will fail. Put the secret in the vault (docs/deploy.md).")]
        public static partial void Unresolved(ILogger logger, string key, string environmentVariable);
    }
}

public static class KeyVaultReferenceCheckExtensions
{
    /// <summary>Logs, at start, every setting still holding an unresolved Key Vault reference (event 1001).</summary>
    public static IHostApplicationBuilder AddKeyVaultReferenceCheck(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<KeyVaultReferenceCheck>();
        return builder;
    }
}
