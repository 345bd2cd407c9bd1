using Azure.Core;
using Azure.Identity;
using Microsoft.ApplicationInsights.AspNetCore.Extensions;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Logging.ApplicationInsights;

namespace FunctionsIvr.Hosting;

public static class TelemetryHostBuilderExtensions
{
    /// <summary>The Application Insights resource to send to; set by Bicep. Without it no telemetry is registered.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>Authorization=AAD</c> (with <c>ClientId=</c> for a user-assigned identity): ingest with Entra ID, no key.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// With <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set: the handler's requests, its HTTP dependencies (ERP, Table
    /// Storage, Service Bus) and its logs go to Application Insights, each tagged with CallId, FunctionName and Step
    /// (<see cref="CallTelemetry"/>). Without it nothing is registered and logs stay on the console only (the only other
    /// logging provider).
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> is set but unreadable.</exception>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Logs go to stdout, where the Functions host collects them, and to Application Insights when it is set up. The
        // web defaults' Debug and EventSource providers add nothing there, yet every log scope (one per callback) went
        // through them too.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();

        var connectionString = builder.Configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString)) return builder;

        var credential = EntraCredential(builder.Configuration[AuthenticationStringSetting]);
        builder.Services.AddApplicationInsightsTelemetry(new ApplicationInsightsServiceOptions
        {
            ConnectionString = connectionString,
            // Sampling keeps whole operations together: a callback's request, ERP calls and traces stay or go as one.
            EnableAdaptiveSampling = true,
        });
        builder.Services.AddSingleton<ITelemetryInitializer, CallTelemetryInitializer>();
        builder.Services.AddSingleton<ITelemetryInitializer, TelemetryRedactionInitializer>();
        if (credential is not null)
        {
            builder.Services.Configure<TelemetryConfiguration>(configuration => configuration.SetAzureTokenCredential(credential));
        }

        // The SDK forwards only warnings by default; the call path's Information lines are the trace of each call.
        builder.Logging.AddFilter<ApplicationInsightsLoggerProvider>("", LogLevel.Information);
        builder.Logging.AddFilter<ApplicationInsightsLoggerProvider>("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter<ApplicationInsightsLoggerProvider>("System", LogLevel.Warning);
        builder.Logging.AddFilter<ApplicationInsightsLoggerProvider>("Azure", LogLevel.Warning);
        return builder;
    }

    /// <summary>Reads <c>Authorization=AAD;ClientId=...</c> as the Functions host does; null when unset.</summary>
    private static TokenCredential? EntraCredential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString)) return null;

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0) throw Unreadable($"'{part}' is not a Name=Value pair");
            parts[part[..separator].Trim()] = part[(separator + 1)..].Trim();
        }

        if (!string.Equals(parts.GetValueOrDefault("Authorization"), "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw Unreadable("it must contain Authorization=AAD");
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);

        static InvalidOperationException Unreadable(string reason) => new(
            $"{AuthenticationStringSetting} is not readable: {reason}. Expected 'Authorization=AAD' or 'ClientId=<client id of the app identity>;Authorization=AAD'.");
    }
}
