using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;
using FunctionsIvr.Simulator.Scenarios;

namespace FunctionsIvr.Simulator.Load;

/// <summary>
/// Places many calls at once, each following a scenario or walking the flow at random, and measures what the
/// platform would see: answers, protocol breaks, budget overruns and latency.
/// </summary>
public sealed class LoadRunner(PlatformClient client, ResponseValidator validator, PromptMap prompts, CallSettings settings, TimeProvider time)
{
    private const int ProblemsShown = 5;

    public async Task<LoadReport> RunAsync(LoadOptions options, IProgress<int>? callsDone = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Calls, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Concurrency, 1);

        var tally = new Tally();
        var scenarioRunner = new ScenarioRunner(client, validator, prompts, settings, overrunFails: false);
        var started = time.GetTimestamp();
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Calls),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (index, token) =>
            {
                if (options.Scenario is { } scenario)
                {
                    var result = await scenarioRunner.RunAsync(scenario, CallDriver.NewCallId(), token);
                    tally.Add(result.Exchanges);
                    tally.EndCall(result.Passed, result.FailureKind is ScenarioFailureKind.Expectation or ScenarioFailureKind.Script
                        ? "scenario: " + result.Failure
                        : null);
                }
                else
                {
                    await RandomWalkAsync(new Random(options.Seed + index), options.MaxCallbacksPerCall, tally, token);
                }

                callsDone?.Report(Interlocked.Increment(ref done));
            });

        return tally.ToReport(options.Calls, time.GetElapsedTime(started));
    }

    private async Task RandomWalkAsync(Random random, int maxCallbacks, Tally tally, CancellationToken cancellationToken)
    {
        var driver = new CallDriver(client, validator, settings, CallDriver.NewCallId());
        var exchange = await driver.StartAsync(cancellationToken);
        while (!driver.HasEnded && driver.Exchanges.Count < maxCallbacks)
        {
            exchange = await driver.ContinueAsync(RandomInput(exchange.Action!, random), cancellationToken);
        }

        tally.Add(driver.Exchanges);
        var endedByApp = driver.Exchanges[^1].Action?.EndsCall == true && driver.Exchanges[^1].Answer.IsValid;
        tally.EndCall(endedByApp, driver.HasEnded ? null : $"the call did not end within {maxCallbacks} callbacks");
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

    /// <summary>Counters shared by the concurrent calls.</summary>
    private sealed class Tally
    {
        private readonly Lock gate = new();
        private readonly List<double> latenciesMs = [];
        private readonly Dictionary<string, int> problems = new(StringComparer.Ordinal);
        private int callbacks;
        private int invalid;
        private int overruns;
        private int errors;
        private int completed;

        public void Add(IReadOnlyList<Exchange> exchanges)
        {
            lock (gate)
            {
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

        public void EndCall(bool completedWell, string? error)
        {
            lock (gate)
            {
                if (completedWell)
                {
                    completed++;
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
