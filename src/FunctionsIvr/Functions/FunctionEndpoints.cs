using FunctionsIvr.Agents;
using FunctionsIvr.Calls;
using FunctionsIvr.Hosting;
using FunctionsIvr.Orders;
using FunctionsIvr.Support;
using FunctionsIvr.State.Diagnostics;
using FunctionsIvr.Work;

namespace FunctionsIvr.Functions;

public static class FunctionEndpoints
{
    /// <summary>
    /// The endpoints the Functions host calls: <c>GET /</c> (readiness), the forwarded IVR callback, the agent and call log pages, and one
    /// <c>POST /{FunctionName}</c> per triggered function, each with its <c>Functions/{FunctionName}/function.json</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapFunctions(this IEndpointRouteBuilder app)
    {
        app.MapHostHealth();
        app.MapIvrCallback();
        app.MapAgentPages();
        app.MapCallLogPage();
        app.MapStorageCounts();
        app.MapServiceBusFunction(FunctionNames.CommitOrder, QueueNames.OrderCommits);
        app.MapServiceBusFunction(FunctionNames.SendEscalation, QueueNames.Escalations);
        app.MapServiceBusFunction(FunctionNames.RecordCall, QueueNames.CallRecords);
        app.MapServiceBusFunction(FunctionNames.HandleDeadLetters, QueueNames.DeadLetters);
        app.MapTimerFunction(FunctionNames.SweepOutbox, (_, services, cancellationToken) => SweepAsync(services, cancellationToken));
        return app;
    }

    internal static async Task<IReadOnlyList<string>> SweepAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<OutboxSweeper>().SweepAsync(cancellationToken);
        return [$"outbox sweep: {result.Resent} re-sent, {result.Aborted} aborted, {result.Committed} found committed, {result.Skipped} skipped"];
    }
}
