using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace FunctionsIvr.Tests.Functions;

/// <summary>The triggered functions as the Functions host calls them: invocation payloads in, Outputs/Logs/ReturnValue out.</summary>
public class FunctionEndpointsTests
{
    private static readonly string FunctionsFolder = Path.Combine(RepoRoot(), "src", "FunctionsIvr", "Functions");

    [Fact]
    public void EveryFunctionFolder_HasItsEndpoint_AndEveryEndpointItsFolder()
    {
        using var app = new FunctionsApp();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        var folders = Directory.GetDirectories(FunctionsFolder).Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(Path.GetFileName).ToList();

        Assert.NotEmpty(folders);
        foreach (var folder in folders)
        {
            var binding = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsFolder, folder!, "function.json")))!["bindings"]![0]!;
            var expected = binding["type"]!.GetValue<string>() == "httpTrigger" ? "/api/" + binding["route"]!.GetValue<string>() : "/" + folder;
            Assert.Contains(expected, routes);
        }

        var invocationRoutes = routes.Where(r => r != "/" && !r.StartsWith("/api/", StringComparison.Ordinal));
        Assert.All(invocationRoutes, r => Assert.Contains(r.TrimStart('/'), folders));
    }

    [Theory]
    [InlineData("CommitOrder", "order-commits")]
    [InlineData("SendEscalation", "escalations")]
    [InlineData("RecordCall", "call-records")]
    [InlineData("HandleDeadLetters", "dead-letters")]
    public void ServiceBusFunctions_TriggerOnTheirQueueWithTheSharedConnection(string function, string queue)
    {
        var binding = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsFolder, function, "function.json")))!["bindings"]![0]!;

        Assert.Equal("serviceBusTrigger", binding["type"]!.GetValue<string>());
        Assert.Equal(queue, binding["queueName"]!.GetValue<string>());
        Assert.Equal("ServiceBusConnection", binding["connection"]!.GetValue<string>());
        Assert.Equal("msg", binding["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CommitOrder_DoubleEncodedHostPayload_CommitsOnceEvenWhenDeliveredTwice()
    {
        using var app = new FunctionsApp();
        var entry = await app.PrepareAsync("tx-1001");
        app.Erp.Setup(e => e.CommitTransactionAsync("tx-1001", It.IsAny<CancellationToken>()))
            .ReturnsAsync(new TransactionOutcome { TransactionId = "tx-1001", Status = TransactionStatuses.Committed });

        var first = await app.InvokeAsync("CommitOrder", ServiceBusPayload(entry.MessageBody, "tx-1001", doubleEncoded: true));
        var second = await app.InvokeAsync("CommitOrder", ServiceBusPayload(entry.MessageBody, "tx-1001", doubleEncoded: false));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotNull(first.Body["Outputs"]);
        Assert.NotNull(first.Body["Logs"]);
        Assert.Equal(OutboxStatus.Committed, (await app.Outbox.GetAsync("tx-1001"))!.Status);
        app.Erp.Verify(e => e.CommitTransactionAsync("tx-1001", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task CommitOrder_ErpDown_FailsTheInvocationAfterTheRetryDelaySoServiceBusRedeliversWithBackoff()
    {
        using var app = new FunctionsApp();
        var entry = await app.PrepareAsync("tx-2002");
        app.Erp.Setup(e => e.CommitTransactionAsync("tx-2002", It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503"));
        var start = app.Time.GetUtcNow();

        // A first delivery: WorkQueue's default schedule holds the failure 1 s (of the app's clock) before answering it.
        var invocation = app.InvokeAsync("CommitOrder", ServiceBusPayload(entry.MessageBody, "tx-2002", doubleEncoded: true));
        var result = await app.AdvanceUntilDoneAsync(invocation, TimeSpan.FromMilliseconds(100));

        Assert.Equal(HttpStatusCode.InternalServerError, result.Status);
        Assert.True(app.Time.GetUtcNow() - start >= TimeSpan.FromSeconds(1), "the failure was answered before its 1 s retry delay");
        Assert.Contains("retry delay of 1 s", result.Body["Logs"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Prepared, (await app.Outbox.GetAsync("tx-2002"))!.Status);
        Assert.Empty(app.Work.Accepted);
    }

    [Fact]
    public async Task CommitOrder_MalformedBody_InvocationLogsShowTheTransactionIdMasked()
    {
        using var app = new FunctionsApp();

        // A failed delivery is answered after its retry delay, on the app's clock.
        var invocation = app.InvokeAsync("CommitOrder", ServiceBusPayload("not json", "tx-5005", doubleEncoded: false, subject: CommitOrder.Subject));
        var result = await app.AdvanceUntilDoneAsync(invocation, TimeSpan.FromMilliseconds(100));

        Assert.Equal(HttpStatusCode.InternalServerError, result.Status);
        var logs = result.Body["Logs"]!.ToJsonString();
        Assert.Contains("is not a CommitOrder", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("tx-5005", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleDeadLetters_DeadCommit_BecomesAnEscalationWithItsContext()
    {
        using var app = new FunctionsApp();
        var body = new CommitOrder("tx-3003", "call-77", "c-1001", "ZS/2026/001400", ManualTimeProvider.DefaultStart).ToJson();
        var payload = ServiceBusPayload(body, "tx-3003", doubleEncoded: true, subject: CommitOrder.Subject, correlationId: "call-77",
            deadLetterReason: "MaxDeliveryCountExceeded");

        var result = await app.InvokeAsync("HandleDeadLetters", payload);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var message = Assert.Single(app.Work.Accepted, m => m.QueueName == QueueNames.Escalations);
        var escalation = EscalationMessages.Parse(message.Body, message.MessageId);
        Assert.Equal(EscalationReason.DeadLettered, escalation.Reason);
        Assert.Equal("call-77", escalation.CallId);
        Assert.Equal("tx-3003", escalation.TransactionId);
        Assert.Equal("ZS/2026/001400", escalation.OrderId);
        Assert.Equal("c-1001", escalation.ContactId);
        Assert.Contains("MaxDeliveryCountExceeded", escalation.Detail, StringComparison.Ordinal);
        Assert.StartsWith("Check order ZS/2026/001400", app.Services.GetRequiredService<EscalationText>().Title(escalation), StringComparison.Ordinal);
    }

    public static TheoryData<string> DeadCallRecordSubjects => [CallRecordMessages.OpenSubject, CallRecordMessages.UpdateSubject];

    [Theory]
    [MemberData(nameof(DeadCallRecordSubjects))]
    public async Task HandleDeadLetters_DeadCallRecord_TicketAndEmailShowTheCallerNumberMasked(string subject)
    {
        using var app = new FunctionsApp();
        var message = DeadCallRecord(subject);

        var result = await app.InvokeAsync("HandleDeadLetters", ServiceBusPayload(message.Body, message.MessageId, doubleEncoded: true,
            subject: subject, correlationId: "call-77", deadLetterReason: "MaxDeliveryCountExceeded"));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        var escalation = app.EscalationSent();
        var text = app.Services.GetRequiredService<EscalationText>();
        foreach (var shown in new[] { escalation.Notes!, text.PlainText(escalation), text.Html(escalation) })
        {
            Assert.DoesNotContain("48600100200", shown, StringComparison.Ordinal);
            Assert.DoesNotContain("48221234567", shown, StringComparison.Ordinal);
        }

        // Masked the way the caller number is shown everywhere else, and the rest still says what failed.
        Assert.Contains("\"fromNumber\":\"********200\"", escalation.Notes, StringComparison.Ordinal);
        Assert.Contains("\"callId\":\"call-77\"", escalation.Notes, StringComparison.Ordinal);
        Assert.Contains("phone numbers masked", escalation.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleDeadLetters_DeadCallRecordWithFullCallerNumberDisplay_AttachesTheBodyAsSent()
    {
        using var app = new FunctionsApp(new() { ["Escalations:CallerNumberDisplay"] = "Full" });
        var message = DeadCallRecord(CallRecordMessages.UpdateSubject);

        await app.InvokeAsync("HandleDeadLetters", ServiceBusPayload(message.Body, message.MessageId, doubleEncoded: true,
            subject: message.Subject, correlationId: "call-77", deadLetterReason: "MaxDeliveryCountExceeded"));

        Assert.Equal(message.Body, app.EscalationSent().Notes);
    }

    [Fact]
    public async Task HandleDeadLetters_DeadEscalation_DoesNotEscalateAgain()
    {
        using var app = new FunctionsApp();
        var escalation = new Escalation
        {
            EscalationId = "esc-1", Reason = EscalationReason.NobodyAnswered, CallId = "call-9", RaisedAt = ManualTimeProvider.DefaultStart,
        };
        var message = EscalationMessages.ToWorkMessage(escalation);

        var result = await app.InvokeAsync("HandleDeadLetters",
            ServiceBusPayload(message.Body, message.MessageId, doubleEncoded: false, subject: message.Subject, deadLetterReason: "MaxDeliveryCountExceeded"));

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Empty(app.Work.Accepted);
    }

    [Fact]
    public async Task SweepOutbox_TimerPayload_ResendsAStuckPreparedEntry()
    {
        using var app = new FunctionsApp();
        var entry = await app.PrepareAsync("tx-4004", preparedAgo: TimeSpan.FromMinutes(5));
        var timer = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"SweepOutbox"}}}""";

        var result = await app.InvokeAsync("SweepOutbox", timer);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("1 re-sent", result.Body["Logs"]!.ToJsonString(), StringComparison.Ordinal);
        var resent = Assert.Single(app.Work.Accepted, m => m.QueueName == QueueNames.OrderCommits);
        Assert.Equal("tx-4004", resent.MessageId);
        Assert.Equal(entry.MessageBody, resent.Body);
    }

    [Fact]
    public async Task SweepOutbox_TimerPayload_SendsTheWorkParkedOnTheCallPath()
    {
        using var app = new FunctionsApp();
        var message = new WorkMessage
        {
            QueueName = QueueNames.Escalations, MessageId = "nobody-answered-call-77", Subject = "Escalation", Body = "{\"reason\":\"NobodyAnswered\"}",
        };
        var parked = app.Services.GetRequiredService<IUnsentWorkStore>();
        await parked.ParkAsync(new UnsentWork(message) { CallId = "call-77", ParkedAt = app.Time.GetUtcNow() });
        var timer = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"SweepOutbox"}}}""";

        var result = await app.InvokeAsync("SweepOutbox", timer);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("unsent work: 1 parked, 1 sent, 0 left", result.Body["Logs"]!.ToJsonString(), StringComparison.Ordinal);
        var sent = Assert.Single(app.Work.On(QueueNames.Escalations));
        Assert.Equal((message.MessageId, message.Subject, message.Body), (sent.MessageId, sent.Subject, sent.Body));
        Assert.Empty(await parked.ListAsync());
    }

    [Fact]
    public void PurgeState_RunsOnceADayOnTheHostsTimer()
    {
        var binding = JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsFolder, "PurgeState", "function.json")))!["bindings"]![0]!;

        Assert.Equal("timerTrigger", binding["type"]!.GetValue<string>());
        Assert.Equal("timer", binding["name"]!.GetValue<string>());
        Assert.Equal("0 30 3 * * *", binding["schedule"]!.GetValue<string>());
        Assert.False(binding["runOnStartup"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PurgeState_TimerPayload_DeletesASettledOrderPastRetentionAndKeepsAnOpenOne()
    {
        using var app = new FunctionsApp();
        var open = await app.PrepareAsync("tx-6006");
        var settled = await app.PrepareAsync("tx-6007");
        settled.Status = OutboxStatus.Committed;
        await app.Outbox.UpdateAsync(settled);
        app.Time.Advance(TimeSpan.FromDays(31));
        var timer = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"PurgeState"}}}""";

        var result = await app.InvokeAsync("PurgeState", timer);

        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Contains("outbox: 1 deleted, 0 left after a failure", result.Body["Logs"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(await app.Outbox.GetAsync("tx-6007"));
        Assert.Equal(OutboxStatus.Prepared, (await app.Outbox.GetAsync(open.TransactionId))!.Status);
    }

    private static WorkMessage DeadCallRecord(string subject)
    {
        var open = new OpenCallRecord
        {
            CallId = "call-77", FromNumber = "+48600100200", DialledNumber = "+48221234567", StartedAt = ManualTimeProvider.DefaultStart,
        };
        return subject == CallRecordMessages.OpenSubject
            ? CallRecordMessages.ToWorkMessage(open)
            : CallRecordMessages.ToWorkMessage(new UpdateCallRecord { CallId = "call-77", Outcome = "Transferred", Open = open }, 2);
    }

    private static string ServiceBusPayload(string body, string messageId, bool doubleEncoded, string? subject = null,
        string? correlationId = null, string? deadLetterReason = null)
    {
        var data = doubleEncoded ? JsonValue.Create(JsonValue.Create(body)!.ToJsonString())! : JsonValue.Create(body)!;
        var properties = new JsonObject();
        if (deadLetterReason is not null) properties["DeadLetterReason"] = deadLetterReason;
        var metadata = new JsonObject
        {
            ["DeliveryCount"] = "1",
            ["MessageId"] = JsonValue.Create(messageId)!.ToJsonString(),
            ["ContentType"] = "\"application/json\"",
            ["EnqueuedTimeUtc"] = "2026-11-21T10:00:00",
            ["ApplicationProperties"] = properties,
            ["sys"] = new JsonObject { ["MethodName"] = "X", ["UtcNow"] = "2026-11-21T10:00:01Z" },
        };
        if (subject is not null) metadata["Subject"] = JsonValue.Create(subject)!.ToJsonString();
        if (correlationId is not null) metadata["CorrelationId"] = JsonValue.Create(correlationId)!.ToJsonString();
        return new JsonObject { ["Data"] = new JsonObject { ["msg"] = data }, ["Metadata"] = metadata }.ToJsonString();
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FunctionsIvr.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>The app as the Functions host runs it (FUNCTIONS_CUSTOMHANDLER_PORT set; the test server replaces the socket), with the queue recorded and the ERP mocked.</summary>
    private sealed class FunctionsApp : IDisposable
    {
        private readonly IvrApp _app;

        public FunctionsApp(Dictionary<string, string?>? settings = null)
        {
            var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "7099" };
            _app = new(all);
            _app.WithServices(services =>
            {
                services.RemoveAll<IWorkQueue>();
                services.AddSingleton<IWorkQueue>(Work);
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Time);
            });
        }

        public RecordingWorkQueue Work { get; } = new();

        public ManualTimeProvider Time { get; } = new();

        public Mock<ErpClient> Erp => _app.Erp;

        public IServiceProvider Services => _app.Services;

        public IOutboxStore Outbox => Services.GetRequiredService<IOutboxStore>();

        public Escalation EscalationSent()
        {
            var message = Assert.Single(Work.On(QueueNames.Escalations));
            return EscalationMessages.Parse(message.Body, message.MessageId);
        }

        public async Task<OutboxEntry> PrepareAsync(string transactionId, TimeSpan? preparedAgo = null)
        {
            var preparedAt = Time.GetUtcNow() - (preparedAgo ?? TimeSpan.Zero);
            var entry = new OutboxEntry(transactionId)
            {
                CallId = "call-" + transactionId,
                ContactId = "c-1001",
                OrderNumber = "ZS/2026/001400",
                Status = OutboxStatus.Prepared,
                PreparedAt = preparedAt,
                ExpiresAt = preparedAt + TimeSpan.FromMinutes(10),
                UpdatedAt = preparedAt,
                MessageBody = new CommitOrder(transactionId, "call-" + transactionId, "c-1001", "ZS/2026/001400", preparedAt).ToJson(),
            };
            await Outbox.AddAsync(entry);
            return entry;
        }

        public async Task<(HttpStatusCode Status, JsonObject Body)> InvokeAsync(string function, string payload)
        {
            using var client = _app.CreateClient();
            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
            var response = await client.PostAsync(new Uri("/" + function, UriKind.Relative), content);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
        }

        /// <summary>Moves the app's clock in <paramref name="step"/>s until <paramref name="task"/> is done (a retry delay on that clock ends).</summary>
        public async Task<T> AdvanceUntilDoneAsync<T>(Task<T> task, TimeSpan step)
        {
            for (var i = 0; i < 1000 && await Task.WhenAny(task, Task.Delay(20)) != task; i++) Time.Advance(step);
            return await task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public void Dispose() => _app.Dispose();
    }
}
