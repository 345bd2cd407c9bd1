using System.Globalization;
using System.Text.Json.Serialization;
using FunctionsIvr.DemoErp.Api;
using FunctionsIvr.DemoErp.Data;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.DemoErp.Hosting;

public static class DemoErpHosting
{
    public static IHostApplicationBuilder AddDemoErp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DemoErpOptions>().BindConfiguration(DemoErpOptions.SectionName)
            .Validate(o => !string.IsNullOrEmpty(o.ApiKey), "DemoErp:ApiKey (env DemoErp__ApiKey) must not be empty.")
            .Validate(o => o.FailureRate is >= 0 and <= 1, "DemoErp:FailureRate must be between 0 and 1.")
            .Validate(o => o.PrepareTtlSeconds > 0, "DemoErp:PrepareTtlSeconds must be positive.")
            .Validate(o => o.StockMultiplier is >= 1 and <= 1_000_000, "DemoErp:StockMultiplier (env DemoErp__StockMultiplier) must be between 1 and 1000000.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DemoErpStore>();
        services.AddSingleton<FaultState>();
        services.AddSingleton<IdempotencyCache>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Malformed bodies become exceptions in every environment, so ProblemExceptionHandler words them the same way.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return builder;
    }

    public static WebApplication MapDemoErp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseDateFromStoreClock();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<FaultInjectionMiddleware>();

        app.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        app.MapContactsApi();
        app.MapProductsApi();
        app.MapOrdersApi();
        app.MapTransactionsApi();
        app.MapCustomerInsightsApi();
        app.MapCallsApi();
        app.MapAdminApi();
        return app;
    }

    /// <summary>
    /// <c>Date</c> on every answer, from the clock the store stamps <c>expiresAt</c> with: the IVR measures a
    /// reservation's time left as their difference. Kestrel sends one from the system clock, but the test server sends
    /// none and a test may give the store another clock.
    /// </summary>
    private static void UseDateFromStoreClock(this WebApplication app)
    {
        var time = app.Services.GetRequiredService<TimeProvider>();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Date = time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
