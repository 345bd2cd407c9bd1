using FunctionsIvr.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Endpoints the Functions host calls for non-HTTP functions: <c>POST /{FunctionName}</c> with the invocation payload,
/// answered with an <see cref="InvocationResult"/>. 200 means done; 500 fails the invocation, so Service Bus
/// redelivers and finally dead-letters; 400 marks a payload we cannot read.
/// </summary>
public static class InvocationEndpoints
{
    private const string InvocationIdHeader = "X-Azure-Functions-InvocationId";
    private const string LoggerCategory = "FunctionsIvr.Hosting.Invocations";

    /// <summary>
    /// Maps a Service Bus-triggered function: decodes the message from binding <paramref name="bindingName"/> and hands it
    /// to the <see cref="IWorkProcessor"/> registered for <paramref name="queueName"/> (a dead-letter queue name
    /// such as <c>order-commits/$DeadLetterQueue</c> works the same way).
    /// </summary>
    public static RouteHandlerBuilder MapServiceBusFunction(
        this IEndpointRouteBuilder app, string functionName, string queueName, string bindingName = "msg",
        BindingDataType dataType = BindingDataType.String)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        ArgumentException.ThrowIfNullOrEmpty(bindingName);

        // Two processors for one queue is a wiring error: found now, while the app starts, not on the first message.
        WorkProcessors.QueueNamesHandled(app.ServiceProvider);
        return app.MapPost("/" + functionName, async (HttpContext context) =>
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
            ReceivedWork work;
            try
            {
                var request = await InvocationRequest.ReadAsync(context.Request.Body, context.RequestAborted);
                work = request.ToReceivedWork(queueName, bindingName, dataType);
            }
            catch (InvalidInvocationPayloadException e)
            {
                return Malformed(logger, functionName, e);
            }
            catch (InvalidOperationException e)
            {
                return Malformed(logger, functionName, NotUtf8(e));
            }

            CallTelemetry.TagInvocation(functionName, work.Message.CorrelationId);
            var maskedId = Redact.Id(work.Message.MessageId);
            using var scope = InvocationLog.BeginMessage(logger, functionName, maskedId, InvocationId(context));
            var delivery = $"message {maskedId} from {queueName} (delivery {work.DeliveryCount})";
            try
            {
                var processor = WorkProcessors.Find(context.RequestServices, queueName);
                if (processor is null)
                {
                    InvocationLog.NoProcessor(logger, functionName, queueName);
                    return InvocationResult.WithLogs($"{functionName}: no processor is registered for queue {queueName}; {delivery} was not processed.")
                        .ToHttpResult(StatusCodes.Status500InternalServerError);
                }
                await processor.ProcessAsync(work, context.RequestAborted);
            }
            catch (Exception e)
            {
                // Recorded and surfaced as a failed invocation: Service Bus redelivers, then dead-letters.
                InvocationLog.MessageFailed(logger, e, functionName, maskedId, queueName, work.DeliveryCount);
                return InvocationResult.WithLogs($"{functionName}: processing {delivery} failed: {e.GetType().Name}: {e.Message}")
                    .ToHttpResult(StatusCodes.Status500InternalServerError);
            }

            InvocationLog.MessageProcessed(logger, functionName, maskedId, queueName, work.DeliveryCount);
            var deadLetterNote = work.DeadLetterReason is { } reason ? $" (dead-lettered: {reason})" : "";
            return InvocationResult.WithLogs($"{functionName}: processed {delivery}{deadLetterNote}.").ToHttpResult();
        }).WithName(functionName).ExcludeFromDescription();
    }

    /// <summary>
    /// Maps a timer-triggered function. <paramref name="handler"/> gets the timer value, the request's services and the
    /// request's cancellation, and returns what it did as lines for the invocation log.
    /// </summary>
    public static RouteHandlerBuilder MapTimerFunction(
        this IEndpointRouteBuilder app, string functionName,
        Func<TimerInfo, IServiceProvider, CancellationToken, Task<IReadOnlyList<string>>> handler, string bindingName = "timer")
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentException.ThrowIfNullOrEmpty(bindingName);

        return app.MapPost("/" + functionName, async (HttpContext context) =>
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
            TimerInfo timer;
            try
            {
                var request = await InvocationRequest.ReadAsync(context.Request.Body, context.RequestAborted);
                timer = request.GetTimerInfo(bindingName);
            }
            catch (InvalidInvocationPayloadException e)
            {
                return Malformed(logger, functionName, e);
            }
            catch (InvalidOperationException e)
            {
                return Malformed(logger, functionName, NotUtf8(e));
            }

            CallTelemetry.TagInvocation(functionName, callId: null);
            using var scope = InvocationLog.BeginFunction(logger, functionName, InvocationId(context));
            IReadOnlyList<string> logs;
            try
            {
                logs = await handler(timer, context.RequestServices, context.RequestAborted);
            }
            catch (Exception e)
            {
                // Surfaced as a failed invocation, so the host records the failure.
                InvocationLog.TimerFailed(logger, e, functionName);
                return InvocationResult.WithLogs($"{functionName}: failed: {e.GetType().Name}: {e.Message}")
                    .ToHttpResult(StatusCodes.Status500InternalServerError);
            }
            InvocationLog.TimerRan(logger, functionName, timer.IsPastDue);
            return InvocationResult.WithLogs(logs).ToHttpResult();
        }).WithName(functionName).ExcludeFromDescription();
    }

    /// <summary><c>GET /</c>: the host polls it until the handler is ready and then as a health ping; answered at once, empty.</summary>
    public static RouteHandlerBuilder MapHostHealth(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapGet("/", () => Results.Ok()).ExcludeFromDescription();
    }

    private static IResult Malformed(ILogger logger, string functionName, InvalidInvocationPayloadException error)
    {
        InvocationLog.MalformedPayload(logger, functionName, error.Message);
        return InvocationResult.WithLogs($"{functionName}: malformed invocation payload: {error.Message}")
            .ToHttpResult(StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// JsonDocument checks UTF-8 inside strings only when a value is read, so a payload with broken text gets this far
    /// before it throws; it is as unreadable as any other malformed payload.
    /// </summary>
    private static InvalidInvocationPayloadException NotUtf8(InvalidOperationException error) =>
        new($"The invocation payload is not readable: {error.Message}", error);

    private static string InvocationId(HttpContext context) =>
        context.Request.Headers.TryGetValue(InvocationIdHeader, out var id) && !string.IsNullOrEmpty(id) ? id.ToString() : "";
}
