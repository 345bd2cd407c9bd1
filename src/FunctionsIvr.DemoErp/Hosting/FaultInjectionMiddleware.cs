using FunctionsIvr.DemoErp.Data;

namespace FunctionsIvr.DemoErp.Hosting;

/// <summary>Slows down and fails contract requests as <see cref="FaultState"/> says; <c>/admin</c> and <c>/health</c> are exempt.</summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultState faults, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/admin") || path.StartsWithSegments("/health"))
        {
            await next(context);
            return;
        }

        var (latencyMs, failureRate, failStatus) = faults.Current.For(path.Value ?? "/");
        if (latencyMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(latencyMs), time, context.RequestAborted);
        if (failureRate > 0 && Random.Shared.NextDouble() < failureRate)
        {
            throw new ProblemException(failStatus, ProblemTypes.Unavailable, "Injected failure.",
                "DemoErp fault injection answered this request with " + failStatus.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        }

        await next(context);
    }
}
