using System.Runtime.ExceptionServices;
using FunctionsIvr.Agents;
using FunctionsIvr.Calls;
using FunctionsIvr.Hosting;
using FunctionsIvr.Orders;
using FunctionsIvr.Support;
using FunctionsIvr.State;
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
        app.MapTimerFunction(FunctionNames.PurgeState, (_, services, cancellationToken) => PurgeAsync(services, cancellationToken));
        return app;
    }

    /// <summary>One PurgeState run: the state storage rows past their retention go (<see cref="StateRetention"/>).</summary>
    internal static async Task<IReadOnlyList<string>> PurgeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<StateRetention>().PurgeAsync(cancellationToken);
    }

    /// <summary>
    /// One SweepOutbox pass: the order outbox, then the work parked on the call path. Each part runs even when the
    /// other failed (storage answering one table and not the other, say); a failure still fails the invocation.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> SweepAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var lines = new List<string>();
        var failures = new List<Exception>();
        try
        {
            var result = await scope.ServiceProvider.GetRequiredService<OutboxSweeper>().SweepAsync(cancellationToken);
            lines.Add($"outbox sweep: {result.Resent} re-sent, {result.Recommitted} commits run, {result.Aborted} aborted, {result.Committed} found committed, {result.Skipped} skipped");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failures.Add(e);
        }

        try
        {
            var unsent = await scope.ServiceProvider.GetRequiredService<UnsentWorkSweeper>().SweepAsync(cancellationToken);
            lines.Add($"unsent work: {unsent.Parked} parked, {unsent.Sent} sent, {unsent.Left} left");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failures.Add(e);
        }

        if (failures.Count == 1) ExceptionDispatchInfo.Throw(failures[0]);
        if (failures.Count > 1) throw new AggregateException(failures);
        return lines;
    }
}
