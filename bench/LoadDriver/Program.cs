using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FunctionsIvr.Simulator.Platform;

// Drives whole calls against an IVR webhook from a fixed number of connections for a fixed time and prints one
// result line: requests/s, p50, p99, max (ms) and the counts. Every answer is checked against the IVR API as the
// simulator checks it (one known action, its parameters, the Session); one that breaks it counts as invalid.
// A request counts when it was sent inside the measured time, also when its answer comes after it ends (a slow answer
// across the end is a tail latency, not a request to leave out). Each call follows the answers: a GetDTMF gets the next
// digits of the script (a timeout once the script is used up), a Call… is answered, Play/Answer/Wait/Say* are
// acknowledged, Hangup ends the call; a call is cut after --max-steps callbacks. --max-calls bounds the calls placed;
// --count-prompt N counts the answers playing prompt N (e.g. "order accepted").
// Side by side: --also-url URL2 --also-label L2 --rounds R measures --url and URL2 in R alternating slices of --seconds
// each (after --warmup against each) and prints one line per target, its slices merged. The order alternates by round
// (A B, B A, A B, …), so neither target always runs right after the other. One process throughout, so
// the driver's own JIT is done before anything is measured and costs both targets the same.
var options = Options.Parse(args);
using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.Connections,
    UseCookies = false,
    AllowAutoRedirect = false,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
})
{ Timeout = TimeSpan.FromSeconds(10) };

var inv = CultureInfo.InvariantCulture;
var protocol = new ResponseValidator();
var clock = Stopwatch.StartNew();
var callsStarted = 0L;
var phases = 0;
var targets = options.AlsoUrl is null ? [(options.Label, options.Url)] : new[] { (options.Label, options.Url), (options.AlsoLabel, options.AlsoUrl) };
var slices = targets.ToDictionary(t => t.Item1, _ => new List<WorkerResult>());
var sliceStart = options.AlsoUrl is null ? TimeSpan.FromSeconds(options.WarmupSeconds) : TimeSpan.FromSeconds(0.5);
if (options.AlsoUrl is not null)
{
    // Kept with the slices: nothing of a warm-up is timed, but its requests count as sent and its invalid answers as invalid.
    foreach (var (label, url) in targets) slices[label].AddRange(await RunAsync(url, TimeSpan.FromSeconds(options.WarmupSeconds), TimeSpan.Zero));
}

for (var round = 0; round < options.Rounds; round++)
{
    foreach (var (label, url) in round % 2 == 0 ? targets : targets.Reverse())
    {
        slices[label].AddRange(await RunAsync(url, sliceStart, TimeSpan.FromSeconds(options.Seconds)));
    }
}

foreach (var (label, _) in targets) Report(label, slices[label], options.Seconds * options.Rounds);
var all = slices.Values.SelectMany(r => r).ToList();
return all.Sum(r => r.Invalid + r.Errors) == 0 ? 0 : 1;

// Every connection places calls against url until warm-up plus measured time are over; only the measured part counts.
async Task<WorkerResult[]> RunAsync(Uri url, TimeSpan warmup, TimeSpan measured)
{
    var phase = ++phases; // in the call ids: a call id is never placed twice
    var warmupEnds = clock.Elapsed + warmup;
    var runEnds = warmupEnds + measured;
    return await Task.WhenAll(Enumerable.Range(0, options.Connections).Select(worker => Task.Run(() => WorkAsync(worker, phase, url, warmupEnds, runEnds))));
}

void Report(string label, List<WorkerResult> results, int seconds)
{
    var latencies = results.SelectMany(r => r.LatenciesMs).ToArray();
    Array.Sort(latencies);
    var measured = latencies.Length;
    double Percentile(double share) => measured == 0 ? 0 : latencies[Math.Max(0, (int)Math.Ceiling(share * measured) - 1)];

    Console.WriteLine(string.Create(inv,
        $"RESULT label={label} connections={options.Connections} seconds={seconds} requests={measured} rps={measured / (double)seconds:0} p50={Percentile(0.50):0.00} p99={Percentile(0.99):0.00} max={(measured == 0 ? 0 : latencies[^1]):0.0} calls={results.Sum(r => r.Calls)} invalid={results.Sum(r => r.Invalid)} errors={results.Sum(r => r.Errors)} overruns={results.Sum(r => r.Overruns)} sent={results.Sum(r => r.Sent)} prompt_heard={results.Sum(r => r.PromptHeard)}"));
    foreach (var problem in results.SelectMany(r => r.Problems).GroupBy(p => p).OrderByDescending(g => g.Count()).Take(3))
    {
        Console.WriteLine($"  problem x{problem.Count()}: {problem.Key}");
    }
}

async Task<WorkerResult> WorkAsync(int worker, int phase, Uri url, TimeSpan warmupEnds, TimeSpan runEnds)
{
    var result = new WorkerResult();
    var sequence = 0;
    while (clock.Elapsed < runEnds && Interlocked.Increment(ref callsStarted) <= options.MaxCalls)
    {
        var callId = string.Create(inv, $"bench-{worker}-{sequence++}-{phase}-{Environment.ProcessId}");
        var eventName = "Connected";
        var eventData = "";
        byte[]? session = null; // the raw JSON of the last answer's Session, sent back as is
        var digitIndex = 0;
        if (clock.Elapsed >= warmupEnds) result.Calls++;
        for (var step = 0; step < options.MaxSteps && clock.Elapsed < runEnds; step++)
        {
            var body = RequestBody(callId, eventName, eventData, session);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            var measured = clock.Elapsed >= warmupEnds;
            var started = Stopwatch.GetTimestamp();
            result.Sent++;
            string? actionType = null;
            try
            {
                using var response = await http.PostAsync(url, content);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                var elapsed = Stopwatch.GetElapsedTime(started);
                if (measured)
                {
                    result.LatenciesMs.Add(elapsed.TotalMilliseconds);
                    if (elapsed.TotalMilliseconds > options.BudgetMs) result.Overruns++;
                }

                var checkedAnswer = protocol.Validate(new HttpAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), bytes, elapsed));
                if (!checkedAnswer.IsValid)
                {
                    result.Invalid++;
                    result.Problems.Add($"HTTP {(int)response.StatusCode}, {string.Join("; ", checkedAnswer.Violations)}: {Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 120))}");
                    break;
                }

                var action = checkedAnswer.Action!;
                actionType = action.Type;
                session = checkedAnswer.Session is { } s ? Encoding.UTF8.GetBytes(s.GetRawText()) : null;
                if (options.CountPrompt is { } counted && action["Prompt"] == counted) result.PromptHeard++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                result.Errors++;
                result.Problems.Add(e.GetType().Name + ": " + e.Message);
                break;
            }

            if (actionType is "Hangup" or "DontAnswer") break;
            (eventName, eventData) = actionType switch
            {
                "GetDTMF" => ("GetDTMF", digitIndex < options.Script.Length ? options.Script[digitIndex++] : ""),
                _ when actionType.StartsWith("Call", StringComparison.Ordinal) => ("CallStatus", "Answer"),
                _ => (actionType, ""),
            };
        }
    }

    return result;
}

// The callback as the platform sends it, written directly: the driver shares the cores with the servers it measures.
byte[] RequestBody(string callId, string eventName, string eventData, byte[]? session)
{
    var buffer = new ArrayBufferWriter<byte>(512 + (session?.Length ?? 0));
    using (var json = new Utf8JsonWriter(buffer))
    {
        json.WriteStartObject();
        json.WriteStartObject("request");
        json.WriteString("FromNumber", options.From);
        json.WriteString("ToNumber", "48221234567");
        json.WriteString("ChannelStatus", "Connected");
        json.WriteString("UniqueCallId", callId);
        if (options.Hash is not null) json.WriteString("Hash", options.Hash);
        json.WriteStartObject("Event");
        json.WriteString("EventName", eventName);
        json.WriteString("EventData", eventData);
        json.WriteEndObject();
        json.WritePropertyName("Session");
        if (session is null) json.WriteNullValue(); else json.WriteRawValue(session, skipInputValidation: true);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    return buffer.WrittenSpan.ToArray();
}

sealed class WorkerResult
{
    public List<double> LatenciesMs { get; } = new(50_000);
    public List<string> Problems { get; } = [];
    public int Calls { get; set; }
    public long Sent { get; set; }
    public int PromptHeard { get; set; }
    public int Invalid { get; set; }
    public int Errors { get; set; }
    public int Overruns { get; set; }
}

sealed record Options(Uri Url, int Connections, int Seconds, int WarmupSeconds, string From, string[] Script, int MaxSteps, int BudgetMs, string Label, string? Hash, long MaxCalls, string? CountPrompt,
    Uri? AlsoUrl, string AlsoLabel, int Rounds)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            new Uri(Get("--url", "http://127.0.0.1:7071/api/ivr")),
            Int("--connections", 64),
            Int("--seconds", 20),
            Int("--warmup", 5),
            Get("--from", "48600100200"),
            Get("--script", "3,32525,9").Split(','),
            Int("--max-steps", 10),
            Int("--budget-ms", 1500),
            Get("--label", "run"),
            args.Contains("--hash") ? Get("--hash", "") : null,
            long.Parse(Get("--max-calls", long.MaxValue.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            args.Contains("--count-prompt") ? Get("--count-prompt", "") : null,
            args.Contains("--also-url") ? new Uri(Get("--also-url", "")) : null,
            Get("--also-label", "also"),
            Int("--rounds", 1));
    }
}
