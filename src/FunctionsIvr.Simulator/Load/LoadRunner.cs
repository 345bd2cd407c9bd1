using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Simulator.Load;

/// <summary>
/// Places many calls at once, each following a scenario or walking the flow at random, paced like real callers when
/// asked, and measures what the platform would see: answers, protocol breaks, budget overruns and latency; and what
/// the callers heard: the orders accepted, call by call, for the ERP check that follows.
/// </summary>
public sealed class LoadRunner(PlatformClient client, ResponseValidator validator, PromptMap prompts, CallSettings settings, TimeProvider time)
{
    private const int ProblemsShown = 5;

    public async Task<LoadReport> RunAsync(LoadOptions options, IProgress<int>? callsDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Calls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);

        var tally = new Tally(options.Scenarios, options.AcceptedPrompt);
        var scenarioRunner = new ScenarioRunner(client, validator, prompts, settings, overrunFails: false);
        var started = time.GetTimestamp();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Calls),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                // Its own generator per call: the pauses do not depend on how the calls interleave.
                var pacingRandom = new Random(unchecked(options.Seed + index + 1_000_003));
                await PauseAsync(options.Pacing.StartDelay(index, options.Concurrency, pacingRandom), token);
                Func<CancellationToken, Task> think = t => PauseAsync(options.Pacing.NextPause(pacingRandom), t);
                var callId = CallDriver.NewCallId();
                tally.StartCall();
                try
                {
                    if (options.Scenarios.Count > 0)
                    {
                        var which = index % options.Scenarios.Count;
                        var result = await scenarioRunner.RunAsync(options.Scenarios[which], callId, think, token);
                        tally.Add(callId, result.Exchanges, which);
                        tally.EndCall(result.Passed, result.FailureKind is ScenarioFailureKind.Expectation or ScenarioFailureKind.Script
                            ? "scenario: " + result.Failure
                            : null, which);
                    }
                    else
                    {
                        await RandomWalkAsync(callId, new Random(options.Seed + index), options.MaxCallbacksPerCall, think, tally, token);
                    }
                }
                finally
                {
                    tally.FinishCall();
                }

                callsDone?.Report(Interlocked.Increment(ref done));
            });

        return tally.ToReport(options.Calls, time.GetElapsedTime(started));
    }

    private Task PauseAsync(TimeSpan pause, CancellationToken cancellationToken) =>
        pause > TimeSpan.Zero ? Task.Delay(pause, time, cancellationToken) : Task.CompletedTask;

    private async Task RandomWalkAsync(
        string callId, Random random, int maxCallbacks, Func<CancellationToken, Task> think, Tally tally, CancellationToken cancellationToken)
    {
        var driver = new CallDriver(client, validator, settings, callId);
        var exchange = await driver.StartAsync(cancellationToken);
        while (!driver.HasEnded && driver.Exchanges.Count < maxCallbacks)
        {
            var input = RandomInput(exchange.Action!, random);
            await think(cancellationToken);
            exchange = await driver.ContinueAsync(input, cancellationToken);
        }

        tally.Add(callId, driver.Exchanges, scenario: null);
        var endedByApp = driver.Exchanges[^1].Action?.EndsCall == true && driver.Exchanges[^1].Answer.IsValid;
        tally.EndCall(endedByApp, driver.HasEnded ? null : $"the call did not end within {maxCallbacks} callbacks", scenario: null);
    }

    /// <summary>What a random caller does: a timeout one time in five, otherwise up to MaxDigits digits; any dial outcome.</summary>
    public static CallInput RandomInput(AnsweredAction action, Random random)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(random);
        if (action.Type == ActionTypes.GetDtmf)
        {
            if (random.Next(5) == 0)
            {
                return CallInput.Timeout();
            }

            var max = int.TryParse(action["MaxDigits"], out var m) ? Math.Clamp(m, 1, 12) : 1;
            var digits = new char[random.Next(1, max + 1)];
            for (var i = 0; i < digits.Length; i++)
            {
                digits[i] = (char)('0' + random.Next(10));
            }

            return CallInput.Dtmf(new string(digits));
        }

        return action.IsCall
            ? CallInput.CallStatus(CallStatuses.All[random.Next(CallStatuses.All.Count)])
            : CallInput.None;
    }

    /// <summary>How many times the caller heard the prompt played; a platform retry (a repeated callback) hears nothing new.</summary>
    public static int TimesPlayed(IEnumerable<Exchange> exchanges, string? prompt)
    {
        ArgumentNullException.ThrowIfNull(exchanges);
        return prompt is null
            ? 0
            : exchanges.Count(e => !e.Repeated && e.Answer.IsValid && e.Action is { Type: ActionTypes.Play } action && action["Prompt"] == prompt);
    }

    /// <summary>Counters shared by the concurrent calls.</summary>
    private sealed class Tally(IReadOnlyList<Scenario> scenarios, string? acceptedPrompt)
    {
        private readonly Lock gate = new();
        private readonly List<double> latenciesMs = [];
        private readonly Dictionary<string, int> problems = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> acceptedByCall = new(StringComparer.Ordinal);
        private readonly int[] scenarioCalls = new int[scenarios.Count];
        private readonly int[] scenarioPassed = new int[scenarios.Count];
        private readonly int[] scenarioAccepted = new int[scenarios.Count];
        private int callbacks;
        private int invalid;
        private int overruns;
        private int errors;
        private int completed;
        private int accepted;
        private int inProgress;
        private int peak;

        public void StartCall()
        {
            lock (gate)
            {
                inProgress++;
                peak = Math.Max(peak, inProgress);
            }
        }

        public void FinishCall()
        {
            lock (gate)
            {
                inProgress--;
            }
        }

        public void Add(string callId, IReadOnlyList<Exchange> exchanges, int? scenario)
        {
            var heard = TimesPlayed(exchanges, acceptedPrompt);
            lock (gate)
            {
                acceptedByCall[callId] = heard;
                accepted += heard;
                if (scenario is { } s)
                {
                    scenarioCalls[s]++;
                    scenarioAccepted[s] += heard;
                }

                foreach (var exchange in exchanges)
                {
                    callbacks++;
                    if (exchange.Http.TransportError is { } transport)
                    {
                        errors++;
                        Count(transport);
                        continue;
                    }

                    latenciesMs.Add(exchange.Elapsed.TotalMilliseconds);
                    if (exchange.OverBudget)
                    {
                        overruns++;
                    }

                    if (!exchange.Answer.IsValid)
                    {
                        invalid++;
                        foreach (var violation in exchange.Answer.Violations)
                        {
                            Count(violation);
                        }
                    }
                }
            }
        }

        public void EndCall(bool completedWell, string? error, int? scenario)
        {
            lock (gate)
            {
                if (completedWell)
                {
                    completed++;
                    if (scenario is { } s)
                    {
                        scenarioPassed[s]++;
                    }
                }

                if (error is not null)
                {
                    errors++;
                    Count(error);
                }
            }
        }

        public LoadReport ToReport(int calls, TimeSpan duration)
        {
            lock (gate)
            {
                latenciesMs.Sort();
                return new LoadReport
                {
                    Calls = calls,
                    CompletedCalls = completed,
                    PeakConcurrentCalls = peak,
                    Callbacks = callbacks,
                    InvalidAnswers = invalid,
                    BudgetOverruns = overruns,
                    Errors = errors,
                    P50 = Percentile(0.50),
                    P99 = Percentile(0.99),
                    Max = latenciesMs.Count == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(latenciesMs[^1]),
                    Duration = duration,
                    TopProblems = problems.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
                        .Take(ProblemsShown).Select(p => (p.Key, p.Value)).ToList(),
                    OrdersAccepted = accepted,
                    AcceptedByCall = new Dictionary<string, int>(acceptedByCall, StringComparer.Ordinal),
                    ByScenario = scenarios.Select((s, i) => new ScenarioLoad(s.Name, scenarioCalls[i], scenarioPassed[i], scenarioAccepted[i])).ToList(),
                };
            }
        }

        private void Count(string problem) => problems[problem] = problems.GetValueOrDefault(problem) + 1;

        // Nearest rank: the smallest latency at or above the given share of all callbacks.
        private TimeSpan Percentile(double share) => latenciesMs.Count == 0
            ? TimeSpan.Zero
            : TimeSpan.FromMilliseconds(latenciesMs[Math.Max(0, (int)Math.Ceiling(share * latenciesMs.Count) - 1)]);
    }
}
