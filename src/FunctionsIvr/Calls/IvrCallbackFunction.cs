using FunctionsIvr.Calls.Transfer;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Calls;

/// <summary>
/// The <c>IvrCallback</c> function: <c>POST /api/ivr</c>, forwarded by the Functions host as is. The request filter
/// has already enforced the body limit and the Hash; from here on every answer to a usable callback is 200 with one
/// valid action. A callback that is not usable (no UniqueCallId) is answered 400, so the platform takes its own fallback.
/// </summary>
public static partial class IvrCallbackFunction
{
    public const string FunctionName = "IvrCallback";
    public const string Route = "/api/ivr";

    /// <summary>A callback that reads nothing from the ERP is answered in well under a millisecond; this one waited on something.</summary>
    private static readonly TimeSpan SlowAnswer = TimeSpan.FromMilliseconds(100);

    public static IEndpointRouteBuilder MapIvrCallback(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, HandleAsync).ValidateIvrRequest().WithName(FunctionName);
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        CallEngine engine,
        SessionCodec codec,
        CallLogWriter callLog,
        TimeProvider time,
        IOptions<TransferOptions> transfer,
        ILoggerFactory loggers)
    {
        var receivedAt = time.GetTimestamp();
        var logger = loggers.CreateLogger(FunctionName);
        var parsed = http.GetIvrParseResult();
        if (parsed.Request is not { } request)
        {
            // The right Hash but no UniqueCallId (or, with no Hash configured, any unreadable body). An action here could
            // carry no Session tied to the call: the callback after it would be unusable again (the team queue dialled
            // again, with no step count to stop it) or start over at the greeting. An error status, as for a wrong Hash,
            // has the platform take the panel's fallback instead.
            Log.Unusable(logger, parsed.Error?.Reason ?? "no request");
            return TypedResults.StatusCode(StatusCodes.Status400BadRequest);
        }

        // The CallId reaches every log line and dependency of this request in Application Insights through this tag
        // (CallTelemetryInitializer); the call path's own log lines name the call themselves.
        CallTelemetry.TagInvocation(FunctionName, request.UniqueCallId);
        if (request.EmptyErrorIgnored)
        {
            Log.EmptyErrorIgnored(logger, request.UniqueCallId, request.EventName);
        }

        using var trace = ErpCallTrace.Begin();
        var stepsSoFar = 0;
        try
        {
            var decoded = codec.Decode(request.Session, request.UniqueCallId);
            stepsSoFar = decoded.Session?.Steps ?? 0;
            var problem = decoded.Status == SessionDecodeStatus.Invalid ? decoded.Reason?.ToString() ?? "invalid" : null;
            var turn = await engine.HandleAsync(request, decoded.Session, problem, receivedAt, http.RequestAborted);
            CallTelemetry.TagStep(turn.FromStep);

            byte[] session;
            try
            {
                session = codec.EncodeToUtf8(turn.Session, request.UniqueCallId);
            }
            catch (SessionTooLargeException e)
            {
                // A flow put too much in the Session: end safely rather than send something the platform may drop.
                Log.SessionTooLarge(logger, e, request.UniqueCallId, turn.Session.Step);
                turn = turn with
                {
                    Action = SafeAction(transfer.Value),
                    Session = new CallSession { Step = CallFlow.EndStep, Steps = turn.Session.Steps },
                    IsFallback = true,
                };
                session = codec.EncodeToUtf8(turn.Session, request.UniqueCallId);
            }

            var elapsed = time.GetElapsedTime(receivedAt);
            callLog.Write(CallLogLine(request, turn, elapsed, trace, time));
            if (IsWorthReading(turn, firstCallback: decoded.Status == SessionDecodeStatus.Missing, problem, elapsed, trace))
            {
                Log.Answered(logger, request.UniqueCallId, request.EventName, turn.FromStep, turn.Session.Step, turn.Action.Type,
                    elapsed.TotalMilliseconds, trace.TotalMs, trace.Count);
            }
            else
            {
                Log.AnsweredRoutine(logger, request.UniqueCallId, request.EventName, turn.FromStep, turn.Session.Step, turn.Action.Type,
                    elapsed.TotalMilliseconds, trace.TotalMs, trace.Count);
            }

            return new IvrActionResult(turn.Action, session);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // Last line of the call path's promise: never a 5xx, never an HTML page, always an action.
            Log.Failed(logger, e, request.UniqueCallId);
            return EndSession(codec, request.UniqueCallId, stepsSoFar + 1) is { } session
                ? new IvrActionResult(SafeAction(transfer.Value), session)
                : new IvrActionResult(SafeAction(transfer.Value));
        }
    }

    /// <summary>
    /// The safe action's Session: the call's end step, so a callback after it (the team queue busy, say) gets a hangup,
    /// not a new call from the start. None when even that cannot be signed.
    /// Not the fallback's "nobody available" ending: this answer means the engine, the Session or the call log threw, so
    /// the call's own data (caller, call record) cannot be trusted, and a callback sent back into the flow could fail the
    /// same way and be answered with the queue again.
    /// </summary>
    private static byte[]? EndSession(SessionCodec codec, string callId, int steps)
    {
        try
        {
            return codec.EncodeToUtf8(new CallSession { Step = CallFlow.EndStep, Steps = steps }, callId);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Every callback is in the call log, and in Azure in the <c>requests</c> table with its CallId and Step. A console
    /// line for each one cost about a third of the handler's CPU, so the answer is logged at Information only when it
    /// tells the person on call something: a call's first and last callback, ERP calls, a fallback or holding prompt, a
    /// rejected Session, a slow answer. The others are Debug (<c>Logging:LogLevel:IvrCallback=Debug</c> shows them).
    /// </summary>
    private static bool IsWorthReading(CallTurn turn, bool firstCallback, string? sessionProblem, TimeSpan elapsed, ErpCallTrace trace) =>
        firstCallback || turn.Session.Step == CallFlow.EndStep || trace.Count > 0
        || turn.IsFallback || turn.IsHold || sessionProblem is not null || elapsed >= SlowAnswer;

    /// <summary>The callback's line in the call log: what came in, what went out, how long it took, which ERP calls.</summary>
    private static CallLogEntry CallLogLine(IvrRequest request, CallTurn turn, TimeSpan elapsed, ErpCallTrace trace, TimeProvider time) => new()
    {
        CallId = request.UniqueCallId,
        Sequence = turn.Session.Steps,
        Time = time.GetUtcNow(),
        Step = turn.FromStep,
        EventName = request.EventName,
        EventData = MaskEventData(request),
        ActionType = turn.Action.Type,
        Action = Describe(turn.Action),
        NextStep = turn.Session.Step,
        DurationMs = Math.Round(elapsed.TotalMilliseconds, 1),
        ErpCalls = trace.Summary(),
        Note = turn.Notes.Count == 0 ? null : string.Join("; ", turn.Notes),
    };

    /// <summary>Call statuses are shown as they are; keypad input only by its length.</summary>
    private static string MaskEventData(IvrRequest request) =>
        string.Equals(request.EventName, "CallStatus", StringComparison.OrdinalIgnoreCase) ? request.EventData : Redact.Digits(request.EventData);

    private static string Describe(IvrAction action)
    {
        var parameters = action.Parameters;
        var length = action.Type.Length;
        for (var i = 0; i < parameters.Count; i++) length += parameters[i].Key.Length + parameters[i].Value.Length + 2;
        return string.Create(length, action, static (text, action) =>
        {
            action.Type.CopyTo(text);
            var at = action.Type.Length;
            var parameters = action.Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                var (key, value) = parameters[i];
                text[at++] = ' ';
                key.CopyTo(text[at..]);
                at += key.Length;
                text[at++] = '=';
                value.CopyTo(text[at..]);
                at += value.Length;
            }
        });
    }

    /// <summary>When nothing else can be trusted: hand the caller to the team queue.</summary>
    private static IvrAction SafeAction(TransferOptions transfer) =>
        IvrAction.CallByObjectLogin(transfer.TeamQueue, new CallOptions(transfer.QueueRingSeconds));

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information,
            Message = "Call {CallId}: {EventName} in {Step} -> {Action} (next {NextStep}) in {ElapsedMs:0.0} ms, ERP {ErpMs:0} ms over {ErpCalls} calls")]
        public static partial void Answered(ILogger logger, string callId, string eventName, string step, string nextStep, string action,
            double elapsedMs, double erpMs, int erpCalls);

        [LoggerMessage(EventId = 2108, Level = LogLevel.Debug,
            Message = "Call {CallId}: {EventName} in {Step} -> {Action} (next {NextStep}) in {ElapsedMs:0.0} ms, ERP {ErpMs:0} ms over {ErpCalls} calls")]
        public static partial void AnsweredRoutine(ILogger logger, string callId, string eventName, string step, string nextStep, string action,
            double elapsedMs, double erpMs, int erpCalls);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Callback not usable ({Reason}): answered 400, the platform takes its fallback")]
        public static partial void Unusable(ILogger logger, string reason);

        [LoggerMessage(EventId = 2109, Level = LogLevel.Debug,
            Message = "Call {CallId}: {EventName} carried an Error with neither ErrorNo nor ErrorMsg; read as no Error")]
        public static partial void EmptyErrorIgnored(ILogger logger, string callId, string eventName);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Call {CallId}: Session too large after step {Step}")]
        public static partial void SessionTooLarge(ILogger logger, Exception exception, string callId, string step);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Call {CallId}: callback failed; answered the safe action")]
        public static partial void Failed(ILogger logger, Exception exception, string callId);
    }
}
