using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static FunctionsIvr.Tests.Work.InProcessWorkQueueHarness;

namespace FunctionsIvr.Tests.Work;

public sealed class InProcessWorkQueueTests
{
    private const string Orders = QueueNames.OrderCommits;
    private static readonly string OrdersDeadLetters = QueueNames.DeadLetterQueueOf(Orders);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static Task<InProcessWorkQueueHarness> Start(Action<InProcessWorkQueueOptions> configure, params RecordingProcessor[] processors) =>
        InProcessWorkQueueHarness.StartAsync(configure, processors);

    private static Task<InProcessWorkQueueHarness> StartWithRetry(Action<WorkRetryOptions> retry, params RecordingProcessor[] processors) =>
        InProcessWorkQueueHarness.StartAsync(null, processors, services => services.Configure(retry));

    [Fact]
    public async Task NextWakeTime_MessageDueOnAQueueThatCanTakeIt_NotAfterNow()
    {
        // The dispatcher looked, found nothing due, and the message fell due before it asked when to look again (a timer
        // firing a hair before the clock reads the due time): it must look again at once, not wait for the next send.
        var clock = new ManualTimeProvider();
        var queue = new InProcessWorkQueue(Options.Create(new InProcessWorkQueueOptions()), Options.Create(new WorkRetryOptions()), clock,
            NullLogger<InProcessWorkQueue>.Instance);
        queue.AttachProcessors([Orders]);
        await queue.SendAsync(Message(Orders));

        Assert.True(queue.NextWakeTime(_ => true) <= clock.GetUtcNow(), "a due message the queue can take wakes the dispatcher at once");
        // At its limit a queue is woken by the delivery that settles, so no wake-up is asked for (no busy loop).
        Assert.Null(queue.NextWakeTime(_ => false));
    }

    [Fact]
    public async Task Processor_FailsOnceThenSucceeds_RedeliveredAfterTheBaseDelayAndNotDeadLettered()
    {
        var processor = new RecordingProcessor(Orders, (_, call, _) =>
            call == 1 ? throw new HttpRequestException("ERP timed out") : Task.CompletedTask);
        await using var sut = await StartWithRetry(o => o.RetryBaseDelay = TimeSpan.FromSeconds(1), processor);
        var message = Message(Orders);

        await sut.SendAsync(message);
        await sut.IdleAsync();
        Assert.Single(processor.Received);
        await sut.AdvanceAsync(TimeSpan.FromSeconds(1) - Tick);
        Assert.Single(processor.Received);
        await sut.AdvanceAsync(Tick);

        Assert.Equal([1, 2], processor.Received.Select(w => w.DeliveryCount));
        Assert.All(processor.Received, w => Assert.Equal(message.MessageId, w.Message.MessageId));
        Assert.Empty(sut.Queue.DeadLetters);
        var warning = Assert.Single(sut.Logs.Lines, l => l.Level == LogLevel.Warning && l.Exception is HttpRequestException);
        Assert.Equal(Orders, warning.Find("Queue"));
    }

    [Fact]
    public async Task Processor_KeepsFailing_RedeliveryDelayDoublesUpToTheMaximum()
    {
        var processor = RecordingProcessor.Failing(Orders);
        // The settings as an operator writes them (WorkQueue__RetryBaseDelay and so on).
        await using var sut = await InProcessWorkQueueHarness.StartWithSettingsAsync(new Dictionary<string, string?>
        {
            ["WorkQueue:RetryBaseDelay"] = "00:00:01",
            ["WorkQueue:RetryMaxDelay"] = "00:00:04",
            ["WorkQueue:MaxDeliveryCount"] = "6",
        }, [processor]);

        await sut.SendAsync(Message(Orders));
        await sut.IdleAsync();

        foreach (var gapSeconds in new[] { 1, 2, 4, 4, 4 })
        {
            var before = processor.Received.Count;
            await sut.AdvanceAsync(TimeSpan.FromSeconds(gapSeconds) - Tick);
            Assert.Equal(before, processor.Received.Count);
            await sut.AdvanceAsync(Tick);
            Assert.Equal(before + 1, processor.Received.Count);
        }
        Assert.Equal([1, 2, 3, 4, 5, 6], processor.Received.Select(w => w.DeliveryCount));
    }

    [Fact]
    public async Task Processor_FailsEveryDelivery_DeadLetteredAfterMaxDeliveryCountAndHandedToTheDeadLetterProcessor()
    {
        var processor = RecordingProcessor.Failing(Orders, "ERP rejected the commit");
        var deadLetterProcessor = new RecordingProcessor(OrdersDeadLetters);
        await using var sut = await Start(o => o.MaxDeliveryCount = 3, processor, deadLetterProcessor);
        var message = Message(Orders) with { ApplicationProperties = new Dictionary<string, string> { ["tenant"] = "demo" } };

        await sut.SendAsync(message);
        await sut.IdleAsync();
        await sut.AdvanceAsync(TimeSpan.FromSeconds(1));
        await sut.AdvanceAsync(TimeSpan.FromSeconds(2));
        await sut.AdvanceAsync(TimeSpan.FromMinutes(5));

        Assert.Equal(3, processor.Received.Count);
        var deadLetter = Assert.Single(sut.Queue.DeadLetters);
        Assert.Equal(Orders, deadLetter.QueueName);
        Assert.Equal(message.MessageId, deadLetter.Message.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", deadLetter.Reason);
        Assert.Equal(3, deadLetter.DeliveryCount);
        Assert.Contains("ERP rejected the commit", deadLetter.ErrorDescription, StringComparison.Ordinal);

        var work = Assert.Single(deadLetterProcessor.Received);
        Assert.Equal("MaxDeliveryCountExceeded", work.DeadLetterReason);
        Assert.Equal(message.Body, work.Message.Body);
        Assert.Equal(message.MessageId, work.Message.MessageId);
        Assert.Equal(1, work.DeliveryCount);
        Assert.Equal("demo", work.Message.ApplicationProperties["tenant"]);
        Assert.Equal("MaxDeliveryCountExceeded", work.Message.ApplicationProperties[DeadLetterReasons.ReasonProperty]);
        Assert.Contains("ERP rejected the commit", work.Message.ApplicationProperties[DeadLetterReasons.ErrorDescriptionProperty], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLettering_LogsAnErrorWithQueueMaskedMessageIdAndReason()
    {
        await using var sut = await Start(o => o.MaxDeliveryCount = 1, RecordingProcessor.Failing(Orders));

        await sut.SendAsync(Message(Orders, messageId: "tx-20250310-000042"));
        await sut.IdleAsync();

        var error = Assert.Single(sut.Logs.Lines, l => l.Level == LogLevel.Error);
        Assert.Equal(Orders, error.Find("Queue"));
        Assert.Equal("…0042", error.Find("MessageId"));
        Assert.Equal("MaxDeliveryCountExceeded", error.Find("DeadLetterReason"));
        Assert.DoesNotContain("tx-20250310-000042", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetterProcessor_FailsToo_RetriedUnderTheSameRulesThenParkedAndStillVisible()
    {
        var deadLetterProcessor = RecordingProcessor.Failing(OrdersDeadLetters, "helpdesk down");
        await using var sut = await Start(o => o.MaxDeliveryCount = 2, RecordingProcessor.Failing(Orders), deadLetterProcessor);
        var message = Message(Orders);

        await sut.SendAsync(message);
        await sut.IdleAsync();
        await sut.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Single(deadLetterProcessor.Received);
        await sut.AdvanceAsync(TimeSpan.FromSeconds(1));
        await sut.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal([1, 2], deadLetterProcessor.Received.Select(w => w.DeliveryCount));
        Assert.Equal([Orders, OrdersDeadLetters], sut.Queue.DeadLetters.Select(d => d.QueueName));
        var parked = sut.Queue.DeadLetters[1];
        Assert.Equal(message.MessageId, parked.Message.MessageId);
        Assert.Equal("MaxDeliveryCountExceeded", parked.Reason);
        Assert.Contains("helpdesk down", parked.ErrorDescription, StringComparison.Ordinal);
        Assert.Equal(2, sut.Logs.Lines.Count(l => l.Level == LogLevel.Error));
    }

    [Fact]
    public async Task Message_TimeToLivePassesWhileWaitingForRedelivery_DeadLetteredAsExpiredWithoutAnotherDelivery()
    {
        var processor = RecordingProcessor.Failing(Orders);
        await using var sut = await StartWithRetry(o => o.RetryBaseDelay = TimeSpan.FromSeconds(10), processor);

        await sut.SendAsync(Message(Orders) with { TimeToLive = TimeSpan.FromSeconds(5) });
        await sut.IdleAsync();
        await sut.AdvanceAsync(TimeSpan.FromSeconds(5));

        var deadLetter = Assert.Single(sut.Queue.DeadLetters);
        Assert.Equal("TTLExpiredException", deadLetter.Reason);
        await sut.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Single(processor.Received);
    }

    [Fact]
    public async Task Message_OnQueueWithoutProcessor_ExpiresIntoTheDeadLetters()
    {
        await using var sut = await Start(_ => { }, new RecordingProcessor(Orders));

        await sut.SendAsync(Message(QueueNames.Escalations) with { TimeToLive = TimeSpan.FromSeconds(30) });
        await sut.AdvanceAsync(TimeSpan.FromSeconds(30) - Tick);
        Assert.Empty(sut.Queue.DeadLetters);
        await sut.AdvanceAsync(Tick);

        var deadLetter = Assert.Single(sut.Queue.DeadLetters);
        Assert.Equal(QueueNames.Escalations, deadLetter.QueueName);
        Assert.Equal("TTLExpiredException", deadLetter.Reason);
    }

    [Fact]
    public async Task Message_Scheduled_DeliveredAtItsTimeWithThatEnqueuedTime()
    {
        var processor = new RecordingProcessor(Orders);
        await using var sut = await Start(_ => { }, processor);
        var at = sut.Clock.GetUtcNow().AddMinutes(5);

        await sut.SendAsync(Message(Orders) with { ScheduledEnqueueTime = at });
        await sut.IdleAsync();
        await sut.AdvanceAsync(TimeSpan.FromMinutes(5) - Tick);
        Assert.Empty(processor.Received);
        await sut.AdvanceAsync(Tick);

        var work = Assert.Single(processor.Received);
        Assert.Equal(at, work.EnqueuedTime);
    }

    [Fact]
    public async Task Message_ScheduledInThePast_DeliveredNow()
    {
        var processor = new RecordingProcessor(Orders);
        await using var sut = await Start(_ => { }, processor);

        await sut.SendAsync(Message(Orders) with { ScheduledEnqueueTime = sut.Clock.GetUtcNow().AddMinutes(-1) });
        await sut.IdleAsync();

        Assert.Equal(sut.Clock.GetUtcNow(), Assert.Single(processor.Received).EnqueuedTime);
    }

    [Fact]
    public async Task Send_SameMessageIdAfterTheDuplicateWindow_IsDeliveredAgain()
    {
        var processor = new RecordingProcessor(Orders);
        await using var sut = await Start(o => o.DuplicateDetectionWindow = TimeSpan.FromMinutes(10), processor);
        var message = Message(Orders);

        await sut.SendAsync(message);
        await sut.AdvanceAsync(TimeSpan.FromMinutes(10) - Tick);
        await sut.SendAsync(message);
        await sut.IdleAsync();
        Assert.Single(processor.Received);
        await sut.AdvanceAsync(Tick);
        await sut.SendAsync(message);
        await sut.IdleAsync();

        Assert.Equal(2, processor.Received.Count);
    }

    [Fact]
    public async Task Send_SameMessageIdToAnotherQueue_IsNotADuplicate()
    {
        var orders = new RecordingProcessor(Orders);
        var escalations = new RecordingProcessor(QueueNames.Escalations);
        await using var sut = await Start(_ => { }, orders, escalations);

        await sut.SendAsync(Message(Orders, messageId: "tx-1"));
        await sut.SendAsync(Message(QueueNames.Escalations, messageId: "tx-1"));
        await sut.IdleAsync();

        Assert.Single(orders.Received);
        Assert.Single(escalations.Received);
    }

    [Fact]
    public async Task Message_ForQueueWithoutProcessor_WaitsAndIsReportedOnce()
    {
        await using var sut = await Start(_ => { }, new RecordingProcessor(Orders));

        await sut.SendAsync(Message("nobody-listens"));
        await sut.SendAsync(Message("nobody-listens"));
        await sut.IdleAsync();

        var warning = Assert.Single(sut.Logs.Lines, l => l.Level == LogLevel.Warning);
        Assert.Equal("nobody-listens", warning.Find("Queue"));
        Assert.Empty(sut.Queue.DeadLetters);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    public async Task Processor_SlowMessages_NoMoreThanTheConfiguredNumberRunAtOnce(int limit)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processor = new RecordingProcessor(Orders, (_, _, cancellationToken) => release.Task.WaitAsync(cancellationToken));
        await using var sut = await Start(o => o.MaxConcurrentCallsPerQueue = limit, processor);

        for (var i = 0; i < 10; i++) await sut.SendAsync(Message(Orders));
        await WaitUntil(() => processor.Running == limit);
        release.SetResult();
        await sut.IdleAsync();

        Assert.Equal(10, processor.Received.Count);
        Assert.Equal(limit, processor.MaxRunning);
    }

    [Fact]
    public async Task WaitForIdle_ProcessorStillBusy_TimesOutSayingWhy()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processor = new RecordingProcessor(Orders, (_, _, cancellationToken) => release.Task.WaitAsync(cancellationToken));
        await using var sut = await Start(_ => { }, processor);
        await sut.SendAsync(Message(Orders));
        await WaitUntil(() => processor.Running == 1);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => sut.Queue.WaitForIdleAsync(TimeSpan.FromMilliseconds(200)));

        Assert.Contains("being processed", error.Message, StringComparison.Ordinal);
        release.SetResult();
        await sut.IdleAsync();
    }

    [Fact]
    public async Task Processor_RegisteredScoped_GetsAFreshInstancePerDelivery()
    {
        var probe = new ScopedProcessor.Probe();
        await using var sut = await InProcessWorkQueueHarness.StartAsync(null, [], services =>
        {
            services.AddSingleton(probe);
            services.AddWorkProcessor<ScopedProcessor>(Orders, ServiceLifetime.Scoped);
        });

        await sut.SendAsync(Message(Orders));
        await sut.SendAsync(Message(Orders));
        await sut.IdleAsync();

        Assert.Equal(2, probe.Instances.Count);
        Assert.Equal(2, probe.Instances.Distinct().Count());
    }

    [Fact]
    public async Task Processor_LogsWhileProcessing_LinesCarryQueueAndMaskedMessageId()
    {
        ILogger? processorLogger = null;
        var processor = new RecordingProcessor(Orders, (_, _, _) =>
        {
            processorLogger!.LogInformation("committing");
            return Task.CompletedTask;
        });
        await using var sut = await Start(_ => { }, processor);
        processorLogger = sut.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test.Processor");

        await sut.SendAsync(Message(Orders, messageId: "tx-20250310-000042"));
        await sut.IdleAsync();

        var line = Assert.Single(sut.Logs.Lines, l => l.Message == "committing");
        Assert.Equal(Orders, line.Find("Queue"));
        Assert.Equal("…0042", line.Find("MessageId"));
    }

    [Fact]
    public async Task Send_ToADeadLetterQueue_IsRefused()
    {
        await using var sut = await Start(_ => { }, new RecordingProcessor(Orders));

        await Assert.ThrowsAsync<ArgumentException>(() => sut.SendAsync(Message(OrdersDeadLetters)));
    }

    [Fact]
    public async Task Startup_TwoProcessorsForOneQueue_FailsNamingTheQueue()
    {
        using var host = Build(null, [new RecordingProcessor(Orders), new RecordingProcessor(Orders)], null, out _, out _);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(Orders, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_InvalidMaxDeliveryCount_FailsNamingTheSetting()
    {
        using var host = Build(o => o.MaxDeliveryCount = 0, [new RecordingProcessor(Orders)], null, out _, out _);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("WorkQueue:MaxDeliveryCount", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_RetryMaxDelayBelowTheBaseDelay_FailsNamingTheSetting()
    {
        var settings = new Dictionary<string, string?> { ["WorkQueue:RetryBaseDelay"] = "00:00:10", ["WorkQueue:RetryMaxDelay"] = "00:00:05" };
        using var host = Build(null, [new RecordingProcessor(Orders)], null, out _, out _, settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("WorkQueue:RetryMaxDelay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_WhileProcessing_ProcessorSeesCancellationAndStopCompletes()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawCancellation = false;
        var processor = new RecordingProcessor(Orders, async (_, _, cancellationToken) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                sawCancellation = true;
                throw;
            }
        });
        var sut = await Start(_ => { }, processor);
        await sut.SendAsync(Message(Orders));
        await started.Task.WaitAsync(IdleTimeout);

        await sut.DisposeAsync();

        Assert.True(sawCancellation);
        Assert.Empty(sut.Queue.DeadLetters);
    }

    [Fact]
    public async Task Shutdown_ProcessorWrapsTheCancellation_ReleasedNotCountedAsAFailedDelivery()
    {
        // What the ERP client does when the shutdown cuts a call off: its own exception around the cancellation.
        var sut = await ShutDownWhileProcessing(cancelled => new InvalidOperationException("ERP call cut off by the caller's deadline.", cancelled));

        Assert.Contains(sut.Logs.Lines, l => l.EventId.Id == 4408);
        Assert.DoesNotContain(sut.Logs.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Shutdown_ProcessorFailsForAnotherReason_StillAFailedDelivery()
    {
        var sut = await ShutDownWhileProcessing(_ => new InvalidOperationException("the ERP refused the record"));

        Assert.Contains(sut.Logs.Lines, l => l.EventId.Id == 4405 && l.Level == LogLevel.Warning);
    }

    /// <summary>Stops the queue while its one message is being processed; the processor throws what <paramref name="failure"/> makes of the cancellation.</summary>
    private static async Task<InProcessWorkQueueHarness> ShutDownWhileProcessing(Func<OperationCanceledException, Exception> failure)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var processor = new RecordingProcessor(Orders, async (_, _, cancellationToken) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException e)
            {
                throw failure(e);
            }
        });
        var sut = await Start(_ => { }, processor);
        await sut.SendAsync(Message(Orders));
        await started.Task.WaitAsync(IdleTimeout);
        await sut.DisposeAsync();
        return sut;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(IdleTimeout);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    private sealed class ScopedProcessor(ScopedProcessor.Probe probe) : IWorkProcessor
    {
        public Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken)
        {
            probe.Instances.Add(this);
            return Task.CompletedTask;
        }

        public sealed class Probe
        {
            public System.Collections.Concurrent.ConcurrentBag<ScopedProcessor> Instances { get; } = [];
        }
    }
}
