using System.Text.Json;
using FunctionsIvr.Simulator.Display;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Simulator.Scenarios;

/// <summary>
/// Plays a scenario against the app as the platform would and stops at the first difference. Every answer is also
/// checked against the protocol and the time budget, whether or not the scenario says anything about it.
/// </summary>
/// <param name="overrunFails">False for load runs, where slow answers are counted instead of ending the call.</param>
public sealed class ScenarioRunner(
    PlatformClient client,
    ResponseValidator validator,
    PromptMap prompts,
    CallSettings defaults,
    bool overrunFails = true)
{
    private readonly ActionDescriber describer = new(prompts);

    public Task<ScenarioResult> RunAsync(Scenario scenario, string? callId = null, CancellationToken cancellationToken = default) =>
        RunAsync(scenario, callId, beforeInput: null, cancellationToken);

    /// <param name="beforeInput">Awaited before each callback that carries the caller's input or the next event (not
    /// before the first, nor before a platform retry): a load run's caller pausing to listen and press keys.</param>
    public async Task<ScenarioResult> RunAsync(
        Scenario scenario, string? callId, Func<CancellationToken, Task>? beforeInput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var driver = new CallDriver(client, validator, scenario.ApplyTo(defaults), callId ?? CallDriver.NewCallId());
        var steps = scenario.Exchanges;

        ScenarioResult Fail(int number, ScenarioFailureKind kind, string reason) =>
            new(scenario, driver.Exchanges, reason, number, kind);

        var current = await driver.StartAsync(cancellationToken);
        if (AnswerProblem(current, steps[0]) is { } first)
        {
            return Fail(steps[0].Number, first.Kind, first.Reason);
        }

        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var next = i + 1 < steps.Count ? steps[i + 1] : null;
            if (step.Expect is { } expect)
            {
                var mismatches = expect.FindMismatches(current, prompts);
                if (mismatches.Count > 0)
                {
                    if (step.Optional)
                    {
                        continue;
                    }

                    return Fail(step.Number, ScenarioFailureKind.Expectation, $"got {Describe(current)}: {string.Join("; ", mismatches)}");
                }
            }

            if (step.End)
            {
                return driver.HasEnded
                    ? new ScenarioResult(scenario, driver.Exchanges)
                    : Fail(step.Number, ScenarioFailureKind.Expectation, $"expected the call to end, but {Describe(current)} keeps it going");
            }

            if (step.Repeat)
            {
                var again = await driver.RepeatAsync(cancellationToken);
                if (AnswerProblem(again, next) is { } problem)
                {
                    return Fail(step.Number, problem.Kind, problem.Reason);
                }

                if (!SameAnswer(current, again))
                {
                    return Fail(step.Number, ScenarioFailureKind.Expectation,
                        $"the same callback sent twice got different answers: first {Describe(current)} {Body(current)}, then {Describe(again)} {Body(again)}");
                }

                current = again;
                continue;
            }

            if (!step.SendsInput && (next is null || driver.HasEnded))
            {
                if (next is not null)
                {
                    return Fail(next.Number, ScenarioFailureKind.Expectation,
                        $"the call ended ({driver.EndReason}) but the scenario goes on");
                }

                break;
            }

            if (driver.HasEnded)
            {
                return Fail(step.Number, ScenarioFailureKind.Script, $"the call ended ({driver.EndReason}); there is nothing to send input to");
            }

            if (InputProblem(step, current.Action!) is { } scriptProblem)
            {
                return Fail(step.Number, ScenarioFailureKind.Script, scriptProblem);
            }

            if (beforeInput is not null)
            {
                await beforeInput(cancellationToken);
            }

            current = await driver.ContinueAsync(step.ToInput(), cancellationToken);
            if (AnswerProblem(current, next) is { } answerProblem)
            {
                return Fail(next?.Number ?? step.Number, answerProblem.Kind, answerProblem.Reason);
            }
        }

        return new ScenarioResult(scenario, driver.Exchanges);
    }

    /// <summary>Protocol, transport and budget trouble of an answer; the exchange that reads it may expect a bare HTTP status instead.</summary>
    private (ScenarioFailureKind Kind, string Reason)? AnswerProblem(Exchange exchange, ScenarioExchange? reader)
    {
        var context = $"answer to \"{CallbackDescriber.Describe(exchange).TrimStart('→', ' ')}\"";
        if (exchange.Http.TransportError is { } transport)
        {
            return (ScenarioFailureKind.Transport, $"{context}: {transport}");
        }

        var expectsStatus = reader?.Expect?.HttpStatus is not null;
        if (!expectsStatus && !exchange.Answer.IsValid)
        {
            return (ScenarioFailureKind.Protocol, $"{context} breaks the protocol: {string.Join("; ", exchange.Answer.Violations)}");
        }

        if (overrunFails && exchange.OverBudget)
        {
            return (ScenarioFailureKind.Budget,
                $"{context} took {exchange.Elapsed.TotalMilliseconds:0} ms, over the {exchange.Budget.TotalMilliseconds:0} ms budget");
        }

        return null;
    }

    private static string? InputProblem(ScenarioExchange step, AnsweredAction action)
    {
        if (action.Type == ActionTypes.GetDtmf)
        {
            if (step.Status is not null)
            {
                return "the answer is GetDTMF: it takes digits, not a call status";
            }

            return step.Digits is null && step.Error is null
                ? "the answer is GetDTMF: say what the caller types, digits: \"1\" (or digits: \"\" for a timeout)"
                : null;
        }

        if (action.IsCall)
        {
            if (step.Digits is not null)
            {
                return $"the answer is {action.Type}: it takes a status, not digits";
            }

            return step.Status is null && step.Error is null
                ? $"the answer is {action.Type}: say how the dial ended, status: {string.Join(" / ", CallStatuses.All)}"
                : null;
        }

        if (step.Digits is not null)
        {
            return $"digits given, but the answer is {action.Type}, which collects none";
        }

        return step.Status is not null ? $"status given, but the answer is {action.Type}, not a Call… action" : null;
    }

    private static bool SameAnswer(Exchange first, Exchange second)
    {
        if (first.Answer.Body is { } a && second.Answer.Body is { } b)
        {
            return JsonElement.DeepEquals(a, b);
        }

        return first.Http.StatusCode == second.Http.StatusCode && first.Http.Body.AsSpan().SequenceEqual(second.Http.Body);
    }

    private string Describe(Exchange exchange) =>
        exchange.Action is { } action ? describer.Describe(action) : $"HTTP {exchange.Http.StatusCode} without a usable action";

    private static string Body(Exchange exchange) =>
        exchange.Answer.Body is { } body ? body.GetRawText() : System.Text.Encoding.UTF8.GetString(exchange.Http.Body);
}
