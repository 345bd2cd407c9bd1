using FunctionsIvr.DemoErp.Data;
using FunctionsIvr.DemoErp.Hosting;

namespace FunctionsIvr.DemoErp.Api;

/// <summary>Not part of the contract: switches for demos and tests (API key required like everything else).</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");

        admin.MapGet("/faults", (FaultState faults) => TypedResults.Ok(faults.Current));

        admin.MapPost("/faults", (FaultState faults, FaultSettings body) =>
        {
            Validate(body.LatencyMs, body.FailureRate, body.FailStatus);
            foreach (var path in body.PathFaults)
            {
                if (string.IsNullOrEmpty(path.Prefix) || !path.Prefix.StartsWith('/')) throw ProblemException.Validation("Each path fault needs a prefix starting with '/'.", "pathFaults");
                Validate(path.LatencyMs ?? 0, path.FailureRate ?? 0, path.FailStatus ?? 503);
            }

            faults.Current = body;
            return TypedResults.Ok(faults.Current);
        });

        admin.MapDelete("/faults", (FaultState faults) =>
        {
            faults.Current = faults.Configured;
            return TypedResults.Ok(faults.Current);
        });

        // Orders created since the seed, each with its call id and commit requests: a load test's exactly-once check.
        admin.MapGet("/placed-orders", (DemoErpStore store) => TypedResults.Ok(store.PlacedOrders()));

        admin.MapPost("/reset", (DemoErpStore store, IdempotencyCache idempotency) =>
        {
            store.Reset();
            // A key's stored answer names a transaction or call record the reset removed: replayed, it would point at nothing.
            idempotency.Clear();
            return TypedResults.NoContent();
        });
        return app;
    }

    private static void Validate(int latencyMs, double failureRate, int failStatus)
    {
        if (latencyMs is < 0 or > 120_000) throw ProblemException.Validation("latencyMs must be between 0 and 120000.", "latencyMs");
        if (failureRate is < 0 or > 1) throw ProblemException.Validation("failureRate must be between 0 and 1.", "failureRate");
        if (failStatus is < 400 or > 599) throw ProblemException.Validation("failStatus must be a 4xx or 5xx status.", "failStatus");
    }
}
