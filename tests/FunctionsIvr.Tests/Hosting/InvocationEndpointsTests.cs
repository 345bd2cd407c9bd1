using System.Net;
using System.Text;
using System.Text.Json;
using FunctionsIvr.Hosting;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Tests.Work;
using FunctionsIvr.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Hosting;

/// <summary>The invocation endpoints over a real ASP.NET Core pipeline (TestServer), posting host-shaped payloads.</summary>
public sealed class InvocationEndpointsTests : IAsyncLifetime
{
    private const string CommitOrder = "CommitOrder";
    private const string CommitOrderDeadLetters = "CommitOrderDeadLetters";
    private const string SweepOutbox = "SweepOutbox";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private readonly CapturingLoggerProvider logs = new();

    /// <summary>Moves only when a test moves it: an answer that came without <see cref="ManualTimeProvider.Advance"/> came without a wait.</summary>
    private readonly ManualTimeProvider clock = new();
    private RecordingProcessor orders = new(QueueNames.OrderCommits);
    private readonly RecordingProcessor deadLetters = new(QueueNames.DeadLetterQueueOf(QueueNames.OrderCommits));
    private Func<TimerInfo, IServiceProvider, CancellationToken, Task<IReadOnlyList<string>>> timerHandler =
        (_, _, _) => Task.FromResult<IReadOnlyList<string>>(["swept 0 entries"]);
    private WebApplication? app;
    private HttpClient? client;

    private HttpClient Client => client ?? throw new InvalidOperationException("Not started.");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Lets any wait still held on the clock end, so a test that failed does not hold the server's stop.
        clock.Advance(TimeSpan.FromHours(1));
        client?.Dispose();
        if (app is not null) await app.DisposeAsync();
    }

    private async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddRecordingProcessor(orders);
        builder.Services.AddRecordingProcessor(deadLetters);
        app = builder.Build();
        app.MapHostHealth();
        app.MapServiceBusFunction(CommitOrder, QueueNames.OrderCommits);
        app.MapServiceBusFunction(CommitOrderDeadLetters, QueueNames.DeadLetterQueueOf(QueueNames.OrderCommits));
        app.MapServiceBusFunction("NobodyListens", "nobody-listens");
        app.MapTimerFunction(SweepOutbox, (timer, services, cancellationToken) => timerHandler(timer, services, cancellationToken));
        await app.StartAsync();
        client = app.GetTestClient();
    }

    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> PostAsync(
        string function, string payload, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = content };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-123");
        // A wait that never ends (the clock is not moved) fails the test instead of hanging it.
        using var response = await Client.SendAsync(request, cancellationToken).WaitAsync(AnswerTimeout, CancellationToken.None);
        var text = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(text);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, json.RootElement.Clone());
    }

    private static void AssertInvocationResultShape(JsonElement body)
    {
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
    }

    /// <summary>The 5003 line the endpoint writes when a delivery failed, once it is there (the retry delay has begun).</summary>
    private async Task<CapturingLoggerProvider.LogLine> FailureLoggedAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = logs.Lines.FirstOrDefault(l => l.EventId.Id == 5003);
            if (line is not null) return line;
            await Task.Delay(10, deadline.Token);
        }
    }

    /// <summary>Whether the answer has come: given a moment, so an answer that does not wait for the clock would be here.</summary>
    private static async Task<bool> AnsweredAsync(Task answer) =>
        await Task.WhenAny(answer, Task.Delay(TimeSpan.FromMilliseconds(200))) == answer;

    private static string Logs(JsonElement body) => string.Join("\n", body.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()));

    [Fact]
    public async Task ServiceBusFunction_ProcessorSucceeds_200WithAnInvocationResultSayingWhatWasDone()
    {
        await StartAsync();

        var (status, contentType, body) = await PostAsync(CommitOrder, CapturedPayloads.ServiceBusDoubleEncoded);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        AssertInvocationResultShape(body);
        Assert.Contains("processed message …5e6f from order-commits (delivery 1)", Logs(body), StringComparison.Ordinal);
        var work = Assert.Single(orders.Received);
        Assert.Equal("{\"orderId\":42}", work.Message.Body);
        Assert.Equal("088fb2b9a1c34e0f9d6f1c2b3a4d5e6f", work.Message.MessageId);
        Assert.Equal("CommitOrder", work.Message.Subject);
        Assert.Equal("a", work.Message.ApplicationProperties["tenant"]);
    }

    [Fact]
    public async Task ServiceBusFunction_ProcessorThrows_500WithLogsSayingWhyOnlyOnceTheRetryDelayOfItsDeliveryHasPassed()
    {
        orders = RecordingProcessor.Failing(QueueNames.OrderCommits, "ERP answered 503");
        await StartAsync();

        // The message's third delivery: 1 s after the first, 2 s after the second, so 4 s after this one.
        var answer = PostAsync(CommitOrder, CapturedPayloads.ServiceBusSingleEncoded);
        var warning = await FailureLoggedAsync();
        clock.Advance(TimeSpan.FromSeconds(4) - Tick);
        Assert.False(await AnsweredAsync(answer), "the failure was answered before its retry delay was over, so Service Bus would redeliver at once");
        clock.Advance(Tick);
        var (status, contentType, body) = await answer;

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/json", contentType);
        AssertInvocationResultShape(body);
        Assert.Contains("InvalidOperationException: ERP answered 503", Logs(body), StringComparison.Ordinal);
        Assert.Contains("delivery 3", Logs(body), StringComparison.Ordinal);
        Assert.Contains("answered after a retry delay of 4 s", Logs(body), StringComparison.Ordinal);
        Assert.Single(orders.Received);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.IsType<InvalidOperationException>(warning.Exception);
        Assert.Equal(CommitOrder, warning.Find("FunctionName"));
        Assert.Equal(QueueNames.OrderCommits, warning.Find("Queue"));
        Assert.Equal("3", warning.Find("DeliveryCount"));
        Assert.Equal(TimeSpan.FromSeconds(4).ToString(), warning.Find("RetryDelay"));
        Assert.Contains("retry delay of 00:00:04", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceBusFunction_AppStopsDuringTheRetryDelay_500AtOnceSoTheShutdownIsNotHeldUp()
    {
        orders = RecordingProcessor.Failing(QueueNames.OrderCommits, "ERP answered 503");
        await StartAsync();
        var answer = PostAsync(CommitOrder, CapturedPayloads.ServiceBusSingleEncoded);
        await FailureLoggedAsync();

        app!.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var (status, _, body) = await answer;

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        AssertInvocationResultShape(body);
        Assert.Contains("InvalidOperationException: ERP answered 503", Logs(body), StringComparison.Ordinal);
        Assert.Contains("answered after 0 s of its 4 s retry delay because the app is stopping", Logs(body), StringComparison.Ordinal);
        var cut = Assert.Single(logs.Lines, l => l.EventId.Id == 5007);
        Assert.Equal("the app is stopping", cut.Find("Reason"));
        Assert.Equal("3", cut.Find("DeliveryCount"));
        Assert.Equal(CommitOrder, cut.Find("FunctionName"));
    }

    [Fact]
    public async Task ServiceBusFunction_RequestAbortedDuringTheRetryDelay_WaitEndsAndSaysWhy()
    {
        orders = RecordingProcessor.Failing(QueueNames.OrderCommits, "ERP answered 503");
        await StartAsync();
        using var hostGivesUp = new CancellationTokenSource();
        var answer = PostAsync(CommitOrder, CapturedPayloads.ServiceBusSingleEncoded, hostGivesUp.Token);
        await FailureLoggedAsync();

        await hostGivesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!logs.Lines.Any(l => l.EventId.Id == 5007)) await Task.Delay(10, deadline.Token);
        var cut = Assert.Single(logs.Lines, l => l.EventId.Id == 5007);
        Assert.Equal("the request was aborted", cut.Find("Reason"));
    }

    [Fact]
    public async Task ServiceBusFunction_ProcessorSucceedsOnALaterDelivery_200WithoutWaiting()
    {
        await StartAsync();

        // The clock is never moved: a delivery that waited would not be answered before PostAsync gives up.
        var (status, _, body) = await PostAsync(CommitOrder, CapturedPayloads.ServiceBusSingleEncoded);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("processed message", Logs(body), StringComparison.Ordinal);
        Assert.Contains("(delivery 3)", Logs(body), StringComparison.Ordinal);
        Assert.DoesNotContain("retry delay", Logs(body), StringComparison.Ordinal);
        Assert.Single(orders.Received);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{ "Metadata": {} }""")]
    [InlineData("""{ "Data": { "message": "wrong binding name" } }""")]
    public async Task ServiceBusFunction_MalformedPayload_400WithAJsonBodyAndNoProcessing(string payload)
    {
        await StartAsync();

        var (status, contentType, body) = await PostAsync(CommitOrder, payload);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/json", contentType);
        AssertInvocationResultShape(body);
        Assert.Contains("malformed invocation payload", Logs(body), StringComparison.Ordinal);
        Assert.Empty(orders.Received);
    }

    [Fact]
    public async Task ServiceBusFunction_NoProcessorForTheQueue_500()
    {
        await StartAsync();

        var (status, _, body) = await PostAsync("NobodyListens", CapturedPayloads.ServiceBusSingleEncoded);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Contains("no processor is registered for queue nobody-listens", Logs(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceBusFunction_DeadLetterQueue_ProcessorSeesTheReason()
    {
        await StartAsync();

        var (status, _, body) = await PostAsync(CommitOrderDeadLetters, CapturedPayloads.ServiceBusDeadLettered);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("dead-lettered: MaxDeliveryCountExceeded", Logs(body), StringComparison.Ordinal);
        Assert.Equal("MaxDeliveryCountExceeded", Assert.Single(deadLetters.Received).DeadLetterReason);
        Assert.Empty(orders.Received);
    }

    [Fact]
    public async Task ServiceBusFunction_ProcessorLogs_LinesCarryFunctionNameMaskedMessageIdAndInvocationId()
    {
        ILogger? processorLogger = null;
        orders = new RecordingProcessor(QueueNames.OrderCommits, (_, _, _) =>
        {
            processorLogger!.LogInformation("committing order");
            return Task.CompletedTask;
        });
        await StartAsync();
        processorLogger = app!.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test.Processor");

        await PostAsync(CommitOrder, CapturedPayloads.ServiceBusDoubleEncoded);

        var line = Assert.Single(logs.Lines, l => l.Message == "committing order");
        Assert.Equal(CommitOrder, line.Find("FunctionName"));
        Assert.Equal("…5e6f", line.Find("MessageId"));
        Assert.Equal("inv-123", line.Find("InvocationId"));
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("088fb2b9a1c34e0f9d6f1c2b3a4d5e6f", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TimerFunction_HandlerSucceeds_200WithItsLogLines()
    {
        TimerInfo? seen = null;
        timerHandler = (timer, _, _) =>
        {
            seen = timer;
            return Task.FromResult<IReadOnlyList<string>>(["re-sent 2 outbox entries", "aborted 1 expired prepare"]);
        };
        await StartAsync();

        var (status, contentType, body) = await PostAsync(SweepOutbox, CapturedPayloads.TimerMonitored);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", contentType);
        AssertInvocationResultShape(body);
        Assert.Equal("re-sent 2 outbox entries\naborted 1 expired prepare", Logs(body));
        Assert.NotNull(seen?.ScheduleStatus);
        Assert.False(seen.IsPastDue);
    }

    [Fact]
    public async Task TimerFunction_UnmonitoredPastDue_HandlerGetsIt()
    {
        TimerInfo? seen = null;
        timerHandler = (timer, _, _) =>
        {
            seen = timer;
            return Task.FromResult<IReadOnlyList<string>>([]);
        };
        await StartAsync();

        var (status, _, body) = await PostAsync(SweepOutbox, CapturedPayloads.TimerUnmonitoredPastDue);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("Logs").GetArrayLength());
        Assert.True(seen!.IsPastDue);
        Assert.Null(seen.ScheduleStatus);
    }

    [Fact]
    public async Task TimerFunction_HandlerThrows_500WithLogsSayingWhy()
    {
        timerHandler = (_, _, _) => throw new TimeoutException("table storage did not answer");
        await StartAsync();

        var (status, _, body) = await PostAsync(SweepOutbox, CapturedPayloads.TimerMonitored);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        AssertInvocationResultShape(body);
        Assert.Contains("TimeoutException: table storage did not answer", Logs(body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimerFunction_MalformedPayload_400()
    {
        await StartAsync();

        var (status, _, body) = await PostAsync(SweepOutbox, """{ "Data": { "timer": 7 } }""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertInvocationResultShape(body);
    }

    [Fact]
    public async Task HostHealth_Get_200WithAnEmptyBody()
    {
        await StartAsync();

        using var response = await Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}
