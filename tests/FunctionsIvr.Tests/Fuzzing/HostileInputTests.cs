using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Orders;
using FunctionsIvr.Simulator.Platform;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Moq;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Fuzzing;

/// <summary>
/// Hostile bodies against the whole handler pipeline (filter, parser, engine, invocation endpoints) in process.
/// 2,000 cases here; <c>FUZZ_CASES</c> and <c>FUZZ_SEED</c> scale and vary it (<c>scripts/fuzz.sh</c> runs 100,000).
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int DefaultCases = 2_000;
    private const int Parallelism = 4;

    private static readonly (string Route, string Payload)[] Invocations =
    [
        ("/CommitOrder", CapturedPayloads.ServiceBusSingleEncoded),
        ("/SendEscalation", CapturedPayloads.ServiceBusOlderHostQuoted),
        ("/RecordCall", CapturedPayloads.ServiceBusDoubleEncoded),
        ("/HandleDeadLetters", CapturedPayloads.ServiceBusDeadLettered),
        ("/SweepOutbox", CapturedPayloads.TimerMonitored),
    ];

    [Fact]
    public async Task Fuzz_HostileBodies_NeverServerErrorNorLoggedError()
    {
        var cases = EnvInt("FUZZ_CASES", DefaultCases);
        var seed = EnvInt("FUZZ_SEED", 20261121);
        var logs = new CapturingLoggerProvider();
        // A failed delivery's answer is held for its retry delay (up to 30 s, by the fuzzed DeliveryCount); what is
        // checked here is the answer, so it is given at once.
        await using var app = new IvrApp(new() { ["WorkQueue:RetryBaseDelay"] = "00:00:00", ["WorkQueue:RetryMaxDelay"] = "00:00:00" }).WithServices(s =>
        {
            // Console output would dominate the run; every line is still captured.
            s.RemoveAll<ILoggerProvider>();
            s.AddSingleton<ILoggerProvider>(logs);
        });
        // The real call's record is opened and updated in process; an ERP that records it keeps its processor honest.
        app.Erp.Setup(e => e.CreateCallRecordAsync(It.IsAny<CreateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CreateCallRecordRequest r, CancellationToken _) => new CallRecord { Id = "cr-" + r.CallId, CallId = r.CallId });
        app.Erp.Setup(e => e.UpdateCallRecordAsync(It.IsAny<string>(), It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, UpdateCallRecordRequest _, CancellationToken _) => new CallRecord { Id = id, CallId = id });
        using var client = app.CreateClient();
        var input = new HostileInput(seed);
        input.KnownSessions.AddRange(await RealSessionsAsync(app));

        var statuses = new ConcurrentDictionary<int, int>();
        var ivrStatuses = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        var cases_ = Enumerable.Range(0, cases).Select(i =>
            i % 10 == 9 ? (Invocations[i / 10 % Invocations.Length].Route, input.NextInvocation(Invocations[i / 10 % Invocations.Length].Payload))
                        : (IvrCallbackRoute, input.NextCallback(IvrApp.Hash)))
            .ToList();

        await Parallel.ForEachAsync(cases_, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (item, token) =>
        {
            var (route, hostile) = item;
            var problem = await PostAsync(client, route, hostile, route == IvrCallbackRoute ? ivrStatuses : statuses);
            if (problem is not null) failures.Enqueue($"{route} [{hostile.Description}]: {problem}");
        });

        var ivrServerErrors = ivrStatuses.Where(s => s.Key >= 500).Sum(s => s.Value);
        // Processors log a malformed message at Error on purpose, and fail its invocation with the exception that says
        // so. Anything else is a failure: an exception the pipeline did not handle, a step that fell back to the safe
        // action (2002), work the app queued itself that failed (4405, 4406), an exception of any other kind.
        var errors = logs.Lines.Where(l => l.Level >= LogLevel.Error && !DeliberateErrors.Contains(l.EventId.Id)
                                           || l.Exception is { } e && !IsMalformedInput(e)).ToList();
        var processorErrors = logs.Lines.Count(l => l.Level >= LogLevel.Error && DeliberateErrors.Contains(l.EventId.Id));
        output.WriteLine($"FUZZ cases={cases} seed={seed} ivr_statuses={Histogram(ivrStatuses)} invocation_statuses={Histogram(statuses)} " +
                         $"ivr_server_errors={ivrServerErrors} failures={failures.Count} unhandled_errors={errors.Count} malformed_messages_logged={processorErrors} " +
                         $"failed_invocations={statuses.GetValueOrDefault(500)}");
        foreach (var error in errors.GroupBy(e => $"{e.Category} {e.EventId.Id} {e.Exception?.GetType().Name}").Take(10))
            output.WriteLine($"  logged error x{error.Count()}: {error.Key}: {error.First().Message} {error.First().Exception}");
        Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(10)));
        Assert.Empty(errors.Select(e => $"{e.Category} {e.EventId.Id}: {e.Message} {e.Exception}").Take(5));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fuzz_OversizedCallback_Refused413(bool declaredLength)
    {
        await using var app = new IvrApp();
        using var client = app.CreateClient();
        var body = Encoding.UTF8.GetBytes("{\"request\":{\"Hash\":\"" + IvrApp.Hash + "\",\"EventData\":\"" + new string('1', 70_000) + "\"}}");
        HttpContent content = declaredLength ? new ByteArrayContent(body) : new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (!declaredLength) content.Headers.ContentLength = null;

        using var response = await client.PostAsync(new Uri(IvrCallbackRoute, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Fuzz_InvocationWithBrokenUtf8InMetadata_Answered400()
    {
        await using var app = new IvrApp();
        using var client = app.CreateClient();
        var body = Encoding.UTF8.GetBytes(CapturedPayloads.ServiceBusSingleEncoded.Replace("m-1", "m-\u00FF", StringComparison.Ordinal));
        body[Array.IndexOf(body, (byte)0xC3)] = 0xFD;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync(new Uri("/CommitOrder", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("malformed invocation payload", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private const string IvrCallbackRoute = "/api/ivr";

    /// <summary>A queue message that can never be processed, logged at Error on purpose: a commit (7016), an escalation (6020).</summary>
    private static readonly HashSet<int> DeliberateErrors = [7016, 6020];

    private static bool IsMalformedInput(Exception e) =>
        e is InvalidDataException or JsonException or FormatException or MalformedCommitOrderException or MalformedEscalationException;

    private static readonly ResponseValidator Protocol = new();

    /// <summary>Sends one case; null when the answer is acceptable, otherwise what is wrong with it.</summary>
    private static async Task<string?> PostAsync(HttpClient client, string route, HostileCase hostile, ConcurrentDictionary<int, int> statuses)
    {
        using var content = new ByteArrayContent(hostile.Body);
        if (hostile.ContentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
        try
        {
            using var response = await client.PostAsync(new Uri(route, UriKind.Relative), content);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var text = await response.Content.ReadAsStringAsync();
            // An invocation answered 500 with its result document is a failed invocation on purpose: Service Bus redelivers
            // the message and finally dead-letters it, which is the only way a custom handler can dead-letter.
            if (status >= 500 && !(route != IvrCallbackRoute && status == 500 && IsInvocationResult(text))) return $"HTTP {status}: {Shorten(text)}";
            if (route == IvrCallbackRoute && status == 200)
            {
                // The whole protocol, as the platform reads it: one known action, its parameters, strings, the Session.
                var answer = Protocol.Validate(new HttpAnswer(status, response.Content.Headers.ContentType?.ToString(), Encoding.UTF8.GetBytes(text), TimeSpan.Zero));
                if (!answer.IsValid) return $"200 breaking the IVR API ({string.Join("; ", answer.Violations)}): {Shorten(text)}";
            }

            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // TestServer rethrows what the pipeline did not handle.
            return "unhandled: " + e;
        }
    }

    private static bool IsInvocationResult(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["Logs"] is JsonArray;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Sessions the app really signed, walked from a real call, so mutations reach the flows.</summary>
    private static async Task<List<JsonNode>> RealSessionsAsync(IvrApp app)
    {
        var sessions = new List<JsonNode>();
        var (_, body) = await app.PostAsync(IvrApp.Callback("Connected", callId: "fuzz-1"));
        foreach (var (eventName, data) in new[] { ("Play", ""), ("GetDTMF", "3"), ("GetDTMF", "32525"), ("Play", "") })
        {
            if (body?["Session"] is not { } session) break;
            sessions.Add(session.DeepClone());
            (_, body) = await app.PostAsync(IvrApp.Callback(eventName, data, session, "fuzz-1"));
        }

        return sessions;
    }

    private static string Histogram(ConcurrentDictionary<int, int> statuses) =>
        string.Join(',', statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static int EnvInt(string name, int fallback) => Environment.GetEnvironmentVariable(name) switch
    {
        null or "" => fallback,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 => value,
        var text => throw new InvalidOperationException($"{name} must be a positive whole number, not '{text}'"),
    };
}
