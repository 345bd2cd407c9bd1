using Azure;
using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;
using FunctionsIvr.Ivr;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Moq;

namespace FunctionsIvr.Tests.Calls;

/// <summary>
/// Out-of-band work on the call path (here a call back request, an escalation) when the queue does not take it: parked
/// in the state storage for the outbox sweep, the caller's promise kept; lost, with an error, only when the storage
/// fails too.
/// </summary>
public class TrySendWorkTests
{
    private const string PromisedPrompt = "Play 80";
    private const int LostEvent = 2403;
    private const int ParkedEvent = 2402;

    private static readonly Contact Caller = EngineHarness.RegularCustomer;

    [Fact]
    public async Task QueueThrows_EscalationParkedUnchangedAndTheCallerPromisedACallBack()
    {
        var logs = new CapturingLoggerProvider();
        using var call = await AtCallbackConfirmAsync(logs);
        call.Work.FailNext(2);

        var answer = await call.PressAsync("1");

        Assert.Equal(PromisedPrompt, Listening.Heard(answer.Action));
        Assert.Empty(call.Work.On(QueueNames.Escalations));
        var parked = Assert.Single(await Parked(call).ListAsync(), w => w.Message.QueueName == QueueNames.Escalations);
        Assert.Equal($"callback-requested-{call.CallId}", parked.Message.MessageId);
        Assert.Equal(EscalationReason.CallbackRequested, EscalationMessages.Parse(parked.Message.Body, parked.Message.MessageId).Reason);
        Assert.Equal(call.CallId, parked.CallId);
        Assert.Equal(call.Time.GetUtcNow(), parked.ParkedAt);
        Assert.Contains("queue unreachable", parked.LastError, StringComparison.Ordinal);
        Assert.Contains(answer.Notes, n => n.StartsWith("Escalation not queued after 2 tries (HttpRequestException): parked", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.EventId.Id == ParkedEvent && l.Level == LogLevel.Warning && l.Find("Subject") == "Escalation");
        Assert.DoesNotContain(logs.Lines, l => l.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task QueueHangs_ParkedOnceBothSendsTimedOut_CallerPromisedInTheSameAnswer()
    {
        EngineHarness? call = null;
        var hanging = new Mock<IWorkQueue>();
        hanging.Setup(q => q.SendAsync(It.IsAny<WorkMessage>(), It.IsAny<CancellationToken>()))
            .Returns(async (WorkMessage _, CancellationToken token) =>
            {
                // A namespace that takes the connection and never answers: only the send timeout ends the wait.
                call!.Time.Advance(TimeSpan.FromMilliseconds(SendTimeoutMs));
                await Task.Delay(Timeout.Infinite, token);
            });
        using var harness = await AtCallbackConfirmAsync(services: s => s.Replace(ServiceDescriptor.Singleton(hanging.Object)));
        call = harness;

        var answering = call.PressAsync("1");
        var finished = await Task.WhenAny(answering, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.True(finished == answering, "the callback waited for a queue that does not answer");
        var answer = await answering;
        Assert.Equal(PromisedPrompt, Listening.Heard(answer.Action));
        hanging.Verify(q => q.SendAsync(It.Is<WorkMessage>(m => m.QueueName == QueueNames.Escalations), It.IsAny<CancellationToken>()), Times.Exactly(2));
        Assert.Contains(await Parked(call).ListAsync(), w => w.Message.MessageId == $"callback-requested-{call.CallId}");
        Assert.Contains(answer.Notes, n => n.StartsWith("Escalation not queued after 2 tries (TaskCanceledException): parked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueAndStorageDown_EscalationLostWithAnError_NoPromiseCallerPutThroughToAPerson()
    {
        var logs = new CapturingLoggerProvider();
        var storage = new Mock<IUnsentWorkStore>();
        storage.Setup(s => s.ParkAsync(It.IsAny<UnsentWork>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AggregateException("Retry failed after 4 tries.", new RequestFailedException(0, "Connection refused (127.0.0.1:10002)")));
        using var call = await AtCallbackConfirmAsync(logs, s => s.Replace(ServiceDescriptor.Singleton(storage.Object)));
        call.Work.FailNext(2);

        var answer = await call.PressAsync("1");

        Assert.NotEqual(PromisedPrompt, Listening.Heard(answer.Action));
        Assert.Equal(IvrActionTypes.CallByObjectLogin, answer.Action.Type);
        Assert.Contains(answer.Notes, n => n.StartsWith("Escalation not queued after 2 tries (HttpRequestException) and not parked (AggregateException): lost", StringComparison.Ordinal));
        Assert.Contains("call back not registered: put through to a person instead", answer.Notes);
        var lost = Assert.Single(logs.Lines, l => l.EventId.Id == LostEvent);
        Assert.Equal(LogLevel.Error, lost.Level);
        Assert.Contains("it is lost", lost.Message, StringComparison.Ordinal);
        Assert.IsType<AggregateException>(lost.Exception);
    }

    [Fact]
    public async Task QueueDownAndStorageHangs_LostAfterTheParkTimeout_CallerPutThroughInTheSameAnswer()
    {
        EngineHarness? call = null;
        var storage = new Mock<IUnsentWorkStore>();
        storage.Setup(s => s.ParkAsync(It.IsAny<UnsentWork>(), It.IsAny<CancellationToken>()))
            .Returns(async (UnsentWork _, CancellationToken token) =>
            {
                call!.Time.Advance(TimeSpan.FromMilliseconds(ParkTimeoutMs));
                await Task.Delay(Timeout.Infinite, token);
            });
        using var harness = await AtCallbackConfirmAsync(services: s => s.Replace(ServiceDescriptor.Singleton(storage.Object)));
        call = harness;
        call.Work.FailNext(2);

        var answering = call.PressAsync("1");
        var finished = await Task.WhenAny(answering, Task.Delay(TimeSpan.FromSeconds(20)));

        Assert.True(finished == answering, "the callback waited for a storage that does not answer");
        var answer = await answering;
        Assert.Equal(IvrActionTypes.CallByObjectLogin, answer.Action.Type);
        Assert.Contains(answer.Notes, n => n.Contains("and not parked (TaskCanceledException): lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueDown_TheCallbacksLaterWorkParkedWithoutWaitingOnTheQueueAgain()
    {
        using var call = await AtCallbackConfirmAsync();
        call.Work.FailNext(2);
        var attemptsBefore = call.Work.Attempts;

        var answer = await call.PressAsync("1");

        // The escalation tried twice; the call record's "ended" update that follows it went straight to parking.
        Assert.Equal(attemptsBefore + 2, call.Work.Attempts);
        Assert.Equal([QueueNames.CallRecords, QueueNames.Escalations], (await Parked(call).ListAsync()).Select(w => w.Message.QueueName).Order());
        Assert.Contains(answer.Notes, n => n.StartsWith("UpdateCallRecord not queued (the queue failed earlier in this callback): parked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueFailsOnceThenTakesIt_NothingParked()
    {
        using var call = await AtCallbackConfirmAsync();
        call.Work.FailNext(1);

        var answer = await call.PressAsync("1");

        Assert.Equal(PromisedPrompt, Listening.Heard(answer.Action));
        Assert.Single(call.Work.On(QueueNames.Escalations));
        Assert.Empty(await Parked(call).ListAsync());
    }

    [Fact]
    public async Task ParkedThenTheQueueIsBack_TheSweepDeliversItOnceWithTheSameMessageIdAndClearsIt()
    {
        using var call = await AtCallbackConfirmAsync();
        call.Work.FailNext(2);
        await call.PressAsync("1");
        var sweeper = ActivatorUtilities.CreateInstance<UnsentWorkSweeper>(call.Services);

        var result = await sweeper.SweepAsync();
        await sweeper.SweepAsync();

        Assert.Equal(2, result.Sent); // the escalation and the call record's update
        var delivered = Assert.Single(call.Work.On(QueueNames.Escalations));
        Assert.Equal($"callback-requested-{call.CallId}", delivered.MessageId);
        Assert.Empty(await Parked(call).ListAsync());
    }

    // Small send and park timeouts, so a hang is over well inside the callback's budget and the answer is the real one.
    private const int SendTimeoutMs = 100;
    private const int ParkTimeoutMs = 100;

    private static IUnsentWorkStore Parked(EngineHarness call) => call.Services.GetRequiredService<IUnsentWorkStore>();

    private static async Task<EngineHarness> AtCallbackConfirmAsync(
        CapturingLoggerProvider? logs = null, Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Calls:QueueSendTimeoutMs"] = SendTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Calls:ParkWorkTimeoutMs"] = ParkTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var call = new EngineHarness(settings, s =>
        {
            if (logs is not null) s.AddSingleton<ILoggerProvider>(logs);
            services?.Invoke(s);
        });
        call.Erp.Setup(e => e.GetContactAsync(Caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(Caller);
        await call.AtMenuAsync();
        await call.PressAsync("9");
        return call;
    }
}
