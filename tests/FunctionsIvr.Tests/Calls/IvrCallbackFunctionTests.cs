using System.Text.Json.Nodes;
using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Moq;

namespace FunctionsIvr.Tests.Calls;

/// <summary>The example exchanges of the platform's documentation (ivr-api.md §6), through the real HTTP pipeline.</summary>
public class IvrCallbackFunctionTests : IClassFixture<IvrAppFixture>
{
    private readonly IvrApp _app;

    public IvrCallbackFunctionTests(IvrAppFixture fixture) => _app = fixture.App;

    [Fact]
    public async Task DocumentedCall_AnswerWelcomeMenuRetryTransferChainGoodbye()
    {
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var answer = await Send("Connected", "", null, callId);
        Assert.Equal("Answer", IvrApp.Text(answer, "Type"));

        var welcome = await Send("Answer", "", answer, callId);
        Assert.Equal("Play", IvrApp.Text(welcome, "Type"));
        Assert.Equal("1", IvrApp.Text(welcome, "Prompt"));

        var menu = await Send("Play", "", welcome, callId);
        Assert.Equal(new JsonObject { ["Type"] = "GetDTMF", ["Prompt"] = "2", ["Timeout"] = "5000", ["MaxDigits"] = "1" }.ToJsonString(),
            menu!["Action"]!.ToJsonString());

        var retry = await Send("GetDTMF", "", menu, callId);
        Assert.Equal("3", IvrApp.Text(retry, "Prompt"));

        var agent = await Send("GetDTMF", "0", retry, callId);
        Assert.Equal("CallByObjectLogin", IvrApp.Text(agent, "Type"));
        Assert.Equal("agent_default", IvrApp.Text(agent, "Destination"));
        Assert.Equal("PlayCallStatus,RingTones,Timeout=15", IvrApp.Text(agent, "Options"));

        var queue = await Send("CallStatus", "Busy", agent, callId);
        Assert.Equal("kolejka_sprzedaz", IvrApp.Text(queue, "Destination"));
        Assert.Equal("PlayCallStatus,RingTones,Timeout=30", IvrApp.Text(queue, "Options"));

        var sorry = await Send("CallStatus", "Noanswer", queue, callId);
        Assert.Equal("9", IvrApp.Text(sorry, "Prompt"));

        var end = await Send("Play", "", sorry, callId);
        Assert.Equal("Hangup", IvrApp.Text(end, "Type"));
    }

    [Fact]
    public async Task ErrorVariant_AnswersApologyNotTheFailingStep()
    {
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var answer = await Send("Connected", "", null, callId);
        var welcome = await Send("Answer", "", answer, callId);
        var menu = await Send("Play", "", welcome, callId);
        var agent = await Send("GetDTMF", "0", menu, callId);

        var request = IvrApp.Callback("CallStatus", "Error", agent!["Session"], callId);
        request["Error"] = new JsonObject { ["ErrorNo"] = "4", ["ErrorMsg"] = "no SIP account" };
        var (status, body) = await _app.PostAsync(request);

        Assert.Equal(200, status);
        Assert.Equal("Play", IvrApp.Text(body, "Type"));
        Assert.Equal("8", IvrApp.Text(body, "Prompt"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("\"\"")]
    public async Task EmptyErrorOnAHealthyCallback_CallGoesOnAndItIsLoggedOnce(string emptyError)
    {
        var logs = new CapturingLoggerProvider();
        using var app = new IvrApp(new() { ["Logging:LogLevel:IvrCallback"] = "Debug" })
            .WithServices(services => services.AddSingleton<ILoggerProvider>(logs));
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var (_, answer) = await app.PostAsync(IvrApp.Callback("Connected", callId: callId));

        var request = IvrApp.Callback("Answer", "", answer!["Session"], callId);
        request["Error"] = JsonNode.Parse(emptyError);
        var (status, welcome) = await app.PostAsync(request);

        Assert.Equal(200, status);
        Assert.Equal("Play", IvrApp.Text(welcome, "Type"));
        Assert.Equal("1", IvrApp.Text(welcome, "Prompt"));
        var noted = Assert.Single(logs.Lines, l => l.EventId.Id == 2109);
        Assert.Equal((LogLevel.Debug, callId), (noted.Level, noted.Find("CallId")));
    }

    [Fact]
    public async Task FormEncodedCallback_Answered()
    {
        var (status, body) = await _app.PostAsync(IvrApp.Callback("Connected", callId: "form-" + Guid.NewGuid().ToString("N")),
            "application/x-www-form-urlencoded");

        Assert.Equal(200, status);
        Assert.Equal("Answer", IvrApp.Text(body, "Type"));
    }

    [Fact]
    public async Task WrongHash_Forbidden()
    {
        var request = IvrApp.Callback("Connected");
        request["Hash"] = "guess";

        var (status, body) = await _app.PostAsync(request);

        Assert.Equal(403, status);
        Assert.Null(body);
    }

    [Fact]
    public async Task RightHashButNoUniqueCallId_400SoThePlatformTakesItsFallback()
    {
        // An action here could not carry a Session for the call: a queue busy after it would come back just as unusable.
        var request = IvrApp.Callback("CallStatus", "Busy");
        request.Remove("UniqueCallId");

        var (status, body) = await _app.PostAsync(request);

        Assert.Equal(400, status);
        Assert.Null(body);
    }

    [Fact]
    public async Task ForgedSessionStep_ApologyInsteadOfTheForgedStep()
    {
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var answer = await Send("Connected", "", null, callId);
        var forged = answer!["Session"]!.DeepClone().AsObject();
        forged["step"] = "transfer_queue";

        var (status, body) = await _app.PostAsync(IvrApp.Callback("CallStatus", "Answer", forged, callId));

        Assert.Equal(200, status);
        Assert.Equal("8", IvrApp.Text(body, "Prompt"));
    }

    [Fact]
    public async Task SessionFromAnotherCall_Rejected()
    {
        var answer = await Send("Connected", "", null, "call-a-" + Guid.NewGuid().ToString("N"));

        var (_, body) = await _app.PostAsync(IvrApp.Callback("Answer", "", answer!["Session"], "call-b-" + Guid.NewGuid().ToString("N")));

        Assert.Equal("8", IvrApp.Text(body, "Prompt"));
    }

    [Fact]
    public async Task SameCallbackTwice_SameAnswer()
    {
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var answer = await Send("Connected", "", null, callId);

        var first = await Send("Answer", "", answer, callId);
        var second = await Send("Answer", "", answer, callId);

        Assert.Equal(first!.ToJsonString(), second!.ToJsonString());
    }

    [Fact]
    public async Task ErpThrowsUnexpectedly_StillAValidAction()
    {
        using var app = new IvrApp();
        app.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("driver bug"));
        var callId = "call-" + Guid.NewGuid().ToString("N");
        var (_, answer) = await app.PostAsync(IvrApp.Callback("Connected", callId: callId));

        var (status, body) = await app.PostAsync(IvrApp.Callback("Answer", "", answer!["Session"], callId));

        Assert.Equal(200, status);
        Assert.Equal("Play", IvrApp.Text(body, "Type"));
        Assert.Equal("8", IvrApp.Text(body, "Prompt"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"request\":{\"Hash\":\"s3cr3t\"}}")]
    [InlineData("<html>")]
    public async Task MalformedBody_NeverAServerError(string body)
    {
        using var client = _app.CreateClient();
        using var content = new StringContent(body);

        var response = await client.PostAsync(new Uri("/api/ivr", UriKind.Relative), content);

        Assert.True((int)response.StatusCode < 500, $"status {(int)response.StatusCode}");
    }

    [Fact]
    public async Task CallLogNotAnsweringAfterATurnThatUsedTheBudget_AnswerDoesNotWaitForIt()
    {
        // Table Storage goes down after the first callback: the call log line never comes back, and the turn took the whole budget.
        // The answer must leave now; waiting for the log line on top would put it past the budget.
        var clock = new ManualTimeProvider();
        using var app = new IvrApp().WithServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
            services.RemoveAll<ICallLog>();
            services.AddSingleton<ICallLog>(new CallLogThatStopsAnswering());
        });
        app.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback(() => clock.Advance(TimeSpan.FromMilliseconds(1500)))
            .ReturnsAsync(EngineHarness.RegularCustomer);
        var callId = "slow-log-" + Guid.NewGuid().ToString("N");

        var first = await AnswerWithinAsync(app, IvrApp.Callback("Connected", callId: callId));
        var second = await AnswerWithinAsync(app, IvrApp.Callback("Answer", "", first["Session"], callId));

        Assert.Equal("Play", IvrApp.Text(second, "Type"));
    }

    [Fact]
    public async Task AutoAnswer_FirstCallbackSlowerThanTheBudget_CallerHearsTheHoldingPromptThenTheWelcome()
    {
        // The panel answers by itself, so the very first callback already identifies the caller in the ERP; a slow ERP
        // there must get the holding prompt like any other slow step, not the team queue.
        var clock = new ManualTimeProvider();
        using var app = new IvrApp(new() { ["Ivr:AnswerMode"] = "Auto" }).WithServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
        });
        app.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .Callback(() => clock.Advance(TimeSpan.FromMilliseconds(1500)))
            .ReturnsAsync(EngineHarness.RegularCustomer);
        var callId = "slow-first-" + Guid.NewGuid().ToString("N");

        var first = await AnswerWithinAsync(app, IvrApp.Callback("Connected", callId: callId));
        Assert.Equal("Play", IvrApp.Text(first, "Type"));
        Assert.Equal("7", IvrApp.Text(first, "Prompt")); // please_wait
        Assert.NotNull(first["Session"]);

        var second = await AnswerWithinAsync(app, IvrApp.Callback("Play", "", first["Session"], callId));
        Assert.Equal("Play", IvrApp.Text(second, "Type"));
        Assert.NotEqual("7", IvrApp.Text(second, "Prompt"));
        Assert.NotNull(second["Session"]);
    }

    [Fact]
    public async Task CallbackFails_SafeTransferCarriesTheEndStep_SoABusyTeamQueueHangsUpInsteadOfRestartingTheCall()
    {
        // Anything can break on the way out (here a log sink); the caller gets the team queue. If the queue is busy, the
        // platform calls back with the Session of that answer: without one the call would start over from the greeting.
        var sink = new SinkThatBreaksOn(eventId: 2101);
        using var app = new IvrApp().WithServices(services => services.AddSingleton<ILoggerProvider>(sink));
        var callId = "broken-" + Guid.NewGuid().ToString("N");

        var (status, safe) = await app.PostAsync(IvrApp.Callback("Connected", callId: callId));
        Assert.Equal(200, status);
        Assert.Equal("CallByObjectLogin", IvrApp.Text(safe!, "Type"));
        Assert.NotNull(safe!["Session"]);

        sink.Broken = false;
        var (_, afterBusy) = await app.PostAsync(IvrApp.Callback("CallStatus", "Busy", safe["Session"], callId));
        Assert.Equal("Hangup", IvrApp.Text(afterBusy!, "Type"));
    }

    private sealed class SinkThatBreaksOn(int eventId) : ILoggerProvider
    {
        public bool Broken { get; set; } = true;

        public int EventId { get; } = eventId;

        public ILogger CreateLogger(string categoryName) => new Breaking(this);

        public void Dispose()
        {
        }

        private sealed class Breaking(SinkThatBreaksOn sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (sink.Broken && id.Id == sink.EventId) throw new IOException("log sink unavailable");
            }
        }
    }

    /// <summary>The manual clock only moves when the ERP is asked, so a wait on it that the fix removed would never end.</summary>
    private static async Task<JsonObject> AnswerWithinAsync(IvrApp app, JsonObject request)
    {
        var post = app.PostAsync(request);
        var finished = await Task.WhenAny(post, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == post, "the answer waited for a call log line that never comes: " + request["Event"]!.ToJsonString());
        var (status, body) = await post;
        Assert.Equal(200, status);
        return body!;
    }

    /// <summary>Writes the first line, then storage goes down: no later write ever answers.</summary>
    private sealed class CallLogThatStopsAnswering : ICallLog
    {
        private int _lines;

        public Task AppendAsync(CallLogEntry entry, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _lines) == 1 ? Task.CompletedTask : new TaskCompletionSource().Task;

        public Task<IReadOnlyList<CallLogEntry>> ReadAsync(string callId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CallLogEntry>>([]);
    }

    [Fact]
    public async Task WholeCall_AnswersLoggedAtInformationOnlyForFirstAndLastCallback()
    {
        var logs = new CapturingLoggerProvider();
        // Debug on, so the routine answers reach the log and their level can be checked.
        using var app = new IvrApp(new() { ["Logging:LogLevel:IvrCallback"] = "Debug" })
            .WithServices(services => services.AddSingleton<ILoggerProvider>(logs));
        var callId = "call-" + Guid.NewGuid().ToString("N");
        JsonObject? previous = null;
        foreach (var (eventName, eventData) in new[]
                 {
                     ("Connected", ""), ("Answer", ""), ("Play", ""), ("GetDTMF", ""), ("GetDTMF", "0"),
                     ("CallStatus", "Busy"), ("CallStatus", "Noanswer"), ("Play", ""),
                 })
        {
            var (status, body) = await app.PostAsync(IvrApp.Callback(eventName, eventData, previous?["Session"], callId));
            Assert.Equal(200, status);
            previous = body;
        }

        Assert.Equal("Hangup", IvrApp.Text(previous, "Type"));
        var answers = logs.Lines.Where(l => l.Category == "IvrCallback" && l.Find("CallId") == callId && l.EventId.Id is 2101 or 2108).ToList();
        var informative = answers.Where(l => l.Level == LogLevel.Information).Select(l => l.Find("Step") + "->" + l.Find("NextStep"));
        Assert.Equal(["start->start", "goodbye->end"], informative);
        var routine = answers.Where(l => l.EventId.Id == 2108).ToList();
        Assert.Equal(6, routine.Count);
        Assert.All(routine, l => Assert.Equal(LogLevel.Debug, l.Level));
    }

    private async Task<JsonObject?> Send(string eventName, string eventData, JsonObject? previous, string callId)
    {
        var (status, body) = await _app.PostAsync(IvrApp.Callback(eventName, eventData, previous?["Session"], callId));
        Assert.Equal(200, status);
        return body;
    }
}

public sealed class IvrAppFixture : IDisposable
{
    public IvrApp App { get; } = new();

    public void Dispose() => App.Dispose();
}
