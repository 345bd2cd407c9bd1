using System.Globalization;
using FunctionsIvr.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Endpoints the Functions host calls for non-HTTP functions: <c>POST /{FunctionName}</c> with the invocation payload,
/// answered with an <see cref="InvocationResult"/>. 200 means done; 500 fails the invocation, so Service Bus
/// redelivers and finally dead-letters (a processor's failure is answered after the retry delay, the backoff between
/// deliveries); 400 marks a payload we cannot read.
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
            Exception? failure = null;
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
                failure = e;
            }

            if (failure is not null)
            {
                // Recorded and surfaced as a failed invocation, after the retry delay: Service Bus redelivers, then dead-letters.
                var logs = await WaitBeforeAnsweringFailureAsync(context, logger, functionName, queueName, maskedId, work.DeliveryCount, failure);
                return InvocationResult.WithLogs($"{functionName}: processing {delivery} failed: {failure.GetType().Name}: {failure.Message}; {logs}")
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

    /// <summary>
    /// Holds the answer to a failed delivery for the retry delay of its delivery count (<see cref="WorkRetryOptions"/>:
    /// 1 s, doubling, at most 30 s), and says what it did for the invocation log. Service Bus redelivers an abandoned
    /// message at once and the Functions host has no retry policy for Service Bus, so this wait is the only pause between
    /// deliveries: without it a short ERP outage uses up all of a message's deliveries in seconds and it is dead-lettered.
    /// The host renews the message's lock while it waits. A stopping app or an aborted request ends the wait at once, so a
    /// shutdown is not held up (the message is then redelivered without the pause).
    /// </summary>
    private static async Task<string> WaitBeforeAnsweringFailureAsync(
        HttpContext context, ILogger logger, string functionName, string queueName, string maskedId, int deliveryCount, Exception failure)
    {
        var services = context.RequestServices;
        var retryDelay = services.GetRequiredService<IOptions<WorkRetryOptions>>().Value.RetryDelayAfter(deliveryCount);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);

        // Started before the line is logged, so the wait counts from the failure.
        var started = time.GetTimestamp();
        var wait = Task.Delay(retryDelay, time, cut.Token);
        InvocationLog.MessageFailed(logger, failure, functionName, maskedId, queueName, deliveryCount, retryDelay);
        await wait.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!wait.IsCanceled) return $"answered after a retry delay of {Seconds(retryDelay)}, so Service Bus redelivers it after that pause.";

        var waited = time.GetElapsedTime(started);
        var reason = stopping.IsCancellationRequested ? "the app is stopping" : "the request was aborted";
        InvocationLog.RetryDelayCut(logger, functionName, maskedId, queueName, deliveryCount, waited, retryDelay, reason);
        return $"answered after {Seconds(waited)} of its {Seconds(retryDelay)} retry delay because {reason}; Service Bus redelivers it without the rest of the pause.";
    }

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

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
