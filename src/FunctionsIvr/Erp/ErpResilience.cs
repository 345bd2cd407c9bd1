using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FunctionsIvr.Erp;

/// <summary>
/// The one resilience pipeline every ERP call runs through: retry (outermost) -> circuit breaker -> per-attempt timeout.
/// A singleton, because the circuit's memory must outlive the transient typed clients. How long an attempt may take
/// and how often it may be retried is decided per call (<see cref="ErpCallPolicy"/>), so reads, keyed writes and
/// unkeyed writes share one circuit.
/// </summary>
public sealed class ErpResilience
{
    internal static readonly ResiliencePropertyKey<ErpCallPolicy> PolicyKey = new("FunctionsIvr.Erp.Policy");

    public ErpResilience(ErpClientOptions options, TimeProvider? timeProvider = null, ILogger<ErpResilience>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ILogger log = logger ?? NullLogger<ErpResilience>.Instance;
        var breaker = options.CircuitBreaker;

        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, Math.Max(options.ReadRetries, options.WriteRetries)),
                Delay = TimeSpan.FromMilliseconds(Math.Max(0, options.RetryDelayMs)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(
                    args.AttemptNumber < Policy(args.Context).MaxRetries && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    var policy = Policy(args.Context);
                    Log.Retrying(log, policy.Method, policy.Route, args.AttemptNumber + 1, Describe(args.Outcome), args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = Math.Max(2, breaker.MinimumThroughput),
                SamplingDuration = TimeSpan.FromSeconds(Math.Max(1, breaker.SamplingDurationSeconds)),
                BreakDuration = TimeSpan.FromSeconds(Math.Max(1, breaker.BreakDurationSeconds)),
                // A trial call after a break that its caller gave up on (a screen pop's short budget, say) learned
                // nothing about the ERP: counted as a failure, or it would close the circuit on a dead ERP.
                ShouldHandle = args => new ValueTask<bool>(
                    IsTransient(args.Outcome) || args.Outcome.Exception is TimeoutRejectedException
                    || (_halfOpen && args.Outcome.Exception is OperationCanceledException)),
                OnOpened = args =>
                {
                    _halfOpen = false;
                    Log.CircuitOpened(log, args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    _halfOpen = true;
                    Log.CircuitHalfOpened(log);
                    return default;
                },
                OnClosed = _ =>
                {
                    _halfOpen = false;
                    Log.CircuitClosed(log);
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = args => new ValueTask<TimeSpan>(Policy(args.Context).AttemptTimeout),
            })
            .Build();
    }

    internal ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>The circuit lets one trial call through after a break.</summary>
    private volatile bool _halfOpen;

    /// <summary>
    /// Worth another try: the connection failed, or the ERP said "not now" (408, 429, 5xx except 501).
    /// Our own timeout is not: a slow ERP rarely answers faster the second time, and the caller is waiting.
    /// </summary>
    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status != HttpStatusCode.NotImplemented);

    /// <summary>
    /// Cold start: runs one canned answer through a throwaway pipeline of the same shape, so the first real ERP call
    /// does not wait for the JIT to compile Polly's strategies (generic virtual methods, which ReadyToRun cannot
    /// precompile). No network, and not the shared circuit: its health counts only real calls.
    /// </summary>
    internal static void WarmUp(ErpClientOptions options)
    {
        var pipeline = new ErpResilience(options).Pipeline;
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(PolicyKey, ErpCallPolicy.Default);
        try
        {
            using var answer = pipeline.ExecuteAsync(
                static (_, _) => ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.OK)), context, "warm-up")
                .AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static ErpCallPolicy Policy(ResilienceContext context) =>
        context.Properties.TryGetValue(PolicyKey, out var policy) ? policy : ErpCallPolicy.Default;

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception?.GetType().Name ?? ((int?)outcome.Result?.StatusCode)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}

/// <summary>What one call may spend: the per-attempt timeout and the retries allowed (0 for a write that is not safe to repeat).</summary>
internal sealed record ErpCallPolicy(string Method, string Route, TimeSpan AttemptTimeout, int MaxRetries)
{
    public static readonly ErpCallPolicy Default = new("?", "?", TimeSpan.FromSeconds(1), 0);
}
