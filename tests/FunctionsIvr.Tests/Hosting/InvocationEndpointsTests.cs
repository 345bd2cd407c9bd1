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
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Hosting;

/// <summary>The invocation endpoints over a real ASP.NET Core pipeline (TestServer), posting host-shaped payloads.</summary>
public sealed class InvocationEndpointsTests : IAsyncLifetime
{
    private const string CommitOrder = "CommitOrder";
    private const string CommitOrderDeadLetters = "CommitOrderDeadLetters";
    private const string SweepOutbox = "SweepOutbox";

    private readonly CapturingLoggerProvider logs = new();
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
        client?.Dispose();
        if (app is not null) await app.DisposeAsync();
    }

    private async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
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

    private async Task<(HttpStatusCode Status, string? ContentType, JsonElement Body)> PostAsync(string function, string payload)
    {
        using var content = new StringContent(payload, Encoding.UTF8, "application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function) { Content = content };
        request.Headers.Add("X-Azure-Functions-InvocationId", "inv-123");
        using var response = await Client.SendAsync(request);
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
    public async Task ServiceBusFunction_ProcessorThrows_500WithLogsSayingWhySoServiceBusRedelivers()
    {
        orders = RecordingProcessor.Failing(QueueNames.OrderCommits, "ERP answered 503");
        await StartAsync();

        var (status, contentType, body) = await PostAsync(CommitOrder, CapturedPayloads.ServiceBusSingleEncoded);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("application/json", contentType);
        AssertInvocationResultShape(body);
        Assert.Contains("InvalidOperationException: ERP answered 503", Logs(body), StringComparison.Ordinal);
        Assert.Contains("delivery 3", Logs(body), StringComparison.Ordinal);
        var warning = Assert.Single(logs.Lines, l => l.Level == LogLevel.Warning && l.Exception is InvalidOperationException);
        Assert.Equal(CommitOrder, warning.Find("FunctionName"));
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
