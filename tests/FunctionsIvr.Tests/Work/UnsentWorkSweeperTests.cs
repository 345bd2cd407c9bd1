using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace FunctionsIvr.Tests.Work;

public class UnsentWorkSweeperTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private readonly InMemoryUnsentWorkStore _store = new();
    private readonly CapturingWorkQueue _queue = new();

    [Fact]
    public async Task QueueBack_EveryParkedMessageSentUnchangedWithItsMessageIdOldestFirst_AndCleared()
    {
        var callback = await ParkAsync(QueueNames.Escalations, "callback-requested-call-1", T0.AddSeconds(5));
        var open = await ParkAsync(QueueNames.CallRecords, "call-1-open", T0);

        var result = await Sweeper().SweepAsync();

        Assert.Equal(new UnsentWorkSweepResult(Parked: 2, Sent: 2), result);
        Assert.Equal([open.Message.MessageId, callback.Message.MessageId], _queue.Accepted.Select(m => m.MessageId));
        var sent = _queue.Accepted[1];
        Assert.Equal((callback.Message.QueueName, callback.Message.Subject, callback.Message.Body, callback.Message.CorrelationId),
            (sent.QueueName, sent.Subject, sent.Body, sent.CorrelationId));
        Assert.Empty(await _store.ListAsync());
    }

    [Fact]
    public async Task QueueStillDown_EverythingLeftForTheNextPass()
    {
        await ParkAsync(QueueNames.Escalations, "nobody-answered-call-2", T0);
        _queue.FailSends = int.MaxValue;

        var result = await Sweeper().SweepAsync();

        Assert.Equal(1, result.Left);
        Assert.Empty(_queue.Accepted);
        Assert.Single(await _store.ListAsync());
    }

    [Fact]
    public async Task QueueDownThenBack_TheNextPassDeliversWhatTheFirstCouldNot()
    {
        await ParkAsync(QueueNames.Escalations, "nobody-answered-call-3", T0);
        _queue.FailSends = 1;
        await Sweeper().SweepAsync();

        var second = await Sweeper().SweepAsync();

        Assert.Equal(1, second.Sent);
        Assert.Equal("nobody-answered-call-3", Assert.Single(_queue.Accepted).MessageId);
        Assert.Empty(await _store.ListAsync());
    }

    [Fact]
    public async Task QueueDown_ThePassStopsAfterThreeFailuresInARow()
    {
        for (var i = 0; i < 6; i++) await ParkAsync(QueueNames.CallRecords, $"call-4-update-{i}", T0.AddSeconds(i));
        var queue = new Mock<IWorkQueue>();
        queue.Setup(q => q.SendAsync(It.IsAny<WorkMessage>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("queue unreachable"));

        var result = await new UnsentWorkSweeper(_store, queue.Object, NullLogger<UnsentWorkSweeper>.Instance).SweepAsync();

        queue.Verify(q => q.SendAsync(It.IsAny<WorkMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(UnsentWorkSweeper.FailuresBeforeGivingUpThePass));
        Assert.Equal(6, result.Left);
        Assert.Equal(6, (await _store.ListAsync()).Count);
    }

    [Fact]
    public async Task OneQueueRefusing_ItIsLeftAfterThreeAndTheOtherQueuesStillGo()
    {
        for (var i = 0; i < 4; i++) await ParkAsync(QueueNames.CallRecords, $"update-call-7-{i}", T0.AddSeconds(i));
        await ParkAsync(QueueNames.Escalations, "callback-requested-call-7", T0.AddSeconds(10));
        var queue = new Mock<IWorkQueue>();
        queue.Setup(q => q.SendAsync(It.Is<WorkMessage>(m => m.QueueName == QueueNames.CallRecords), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(410, "The messaging entity could not be found.", "410", null));

        var result = await new UnsentWorkSweeper(_store, queue.Object, NullLogger<UnsentWorkSweeper>.Instance).SweepAsync();

        Assert.Equal(new UnsentWorkSweepResult(Parked: 5, Sent: 1), result);
        queue.Verify(q => q.SendAsync(It.Is<WorkMessage>(m => m.MessageId == "callback-requested-call-7"), It.IsAny<CancellationToken>()), Times.Once());
        queue.Verify(q => q.SendAsync(It.Is<WorkMessage>(m => m.QueueName == QueueNames.CallRecords), It.IsAny<CancellationToken>()),
            Times.Exactly(UnsentWorkSweeper.FailuresBeforeGivingUpThePass));
        Assert.Equal(4, (await _store.ListAsync()).Count(w => w.Message.QueueName == QueueNames.CallRecords));
    }

    [Fact]
    public async Task ServiceBusNotAnswering_ThePassStopsAfterThreeFailuresWhicheverTheirQueues()
    {
        await ParkAsync(QueueNames.CallRecords, "update-call-8-0", T0);
        await ParkAsync(QueueNames.Escalations, "nobody-answered-call-8", T0.AddSeconds(1));
        await ParkAsync(QueueNames.CallRecords, "update-call-8-1", T0.AddSeconds(2));
        await ParkAsync(QueueNames.Escalations, "callback-requested-call-8", T0.AddSeconds(3));
        var queue = new Mock<IWorkQueue>();
        queue.Setup(q => q.SendAsync(It.IsAny<WorkMessage>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(503, "Service Unavailable"));

        var result = await new UnsentWorkSweeper(_store, queue.Object, NullLogger<UnsentWorkSweeper>.Instance).SweepAsync();

        queue.Verify(q => q.SendAsync(It.IsAny<WorkMessage>(), It.IsAny<CancellationToken>()), Times.Exactly(UnsentWorkSweeper.FailuresBeforeGivingUpThePass));
        Assert.Equal(4, result.Left);
    }

    [Fact]
    public async Task OneMessageRefused_TheOthersStillGo()
    {
        await ParkAsync(QueueNames.Escalations, "refused", T0);
        await ParkAsync(QueueNames.Escalations, "accepted", T0.AddSeconds(1));
        _queue.FailSends = 1;

        var result = await Sweeper().SweepAsync();

        Assert.Equal(new UnsentWorkSweepResult(Parked: 2, Sent: 1), result);
        Assert.Equal("refused", Assert.Single(await _store.ListAsync()).Message.MessageId);
    }

    [Fact]
    public async Task ThreeMessagesRefusedAsTheyAre_TheMessageBehindThemIsStillSent()
    {
        for (var i = 0; i < 3; i++) await ParkAsync(QueueNames.Escalations, $"too-large-{i}", T0.AddSeconds(i));
        await ParkAsync(QueueNames.Escalations, "callback-requested-call-6", T0.AddSeconds(10));
        var queue = new Mock<IWorkQueue>();
        queue.Setup(q => q.SendAsync(It.Is<WorkMessage>(m => m.MessageId.StartsWith("too-large", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(413, "The message is larger than the queue allows."));
        var logs = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([logs]);

        var result = await new UnsentWorkSweeper(_store, queue.Object, factory.CreateLogger<UnsentWorkSweeper>()).SweepAsync();

        Assert.Equal(new UnsentWorkSweepResult(Parked: 4, Sent: 1), result);
        queue.Verify(q => q.SendAsync(It.Is<WorkMessage>(m => m.MessageId == "callback-requested-call-6"), It.IsAny<CancellationToken>()), Times.Once());
        Assert.Equal(["too-large-0", "too-large-1", "too-large-2"], (await _store.ListAsync()).Select(w => w.Message.MessageId));
        Assert.Equal(3, logs.Lines.Count(l => l.EventId.Id == 4305 && l.Level == LogLevel.Error));
    }

    [Fact]
    public async Task ThreeMessagesForbiddenAsTooLarge_NotCountedAgainstTheQueueAndTheMessageBehindIsSent()
    {
        // Service Bus answers a message over its size limit with 403, as it does a full queue; the sender tells them apart.
        for (var i = 0; i < 3; i++) await ParkAsync(QueueNames.Escalations, $"too-large-{i}", T0.AddSeconds(i));
        await ParkAsync(QueueNames.Escalations, "callback-requested-call-9", T0.AddSeconds(10));
        var queue = new Mock<IWorkQueue>();
        queue.Setup(q => q.SendAsync(It.Is<WorkMessage>(m => m.MessageId.StartsWith("too-large", StringComparison.Ordinal)), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Azure.RequestFailedException(403, "The message size exceeds the limit.", "MessageSizeExceeded", null));
        var logs = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([logs]);

        var result = await new UnsentWorkSweeper(_store, queue.Object, factory.CreateLogger<UnsentWorkSweeper>()).SweepAsync();

        Assert.Equal(new UnsentWorkSweepResult(Parked: 4, Sent: 1), result);
        queue.Verify(q => q.SendAsync(It.Is<WorkMessage>(m => m.MessageId == "callback-requested-call-9"), It.IsAny<CancellationToken>()), Times.Once());
        Assert.Equal(["too-large-0", "too-large-1", "too-large-2"], (await _store.ListAsync()).Select(w => w.Message.MessageId));
        var errors = logs.Lines.Where(l => l.EventId.Id == 4305 && l.Level == LogLevel.Error).ToList();
        Assert.Equal(3, errors.Count);
        Assert.All(errors, l => Assert.DoesNotContain("too-large", l.Find("MessageId"), StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.EventId.Id == 4302);
    }

    [Fact]
    public void ForbiddenForTheQueuesQuota_StillCountedAgainstTheQueue()
    {
        var full = new Azure.RequestFailedException(403, "The maximum entity size has been reached or exceeded.", "403", null);

        Assert.False(UnsentWorkSweeper.IsRefusedAsItIs(full));
        Assert.True(UnsentWorkSweeper.IsRefusedByTheQueue(full));
    }

    [Fact]
    public void QueueUnreachableOrThrottling_NotTakenForARefusedMessage()
    {
        Assert.False(UnsentWorkSweeper.IsRefusedAsItIs(new HttpRequestException("connection refused")));
        Assert.False(UnsentWorkSweeper.IsRefusedAsItIs(new Azure.RequestFailedException(503, "Service Unavailable")));
        Assert.False(UnsentWorkSweeper.IsRefusedAsItIs(new Azure.RequestFailedException(401, "Unauthorized")));
        Assert.False(UnsentWorkSweeper.IsRefusedAsItIs(new Azure.RequestFailedException(429, "Too Many Requests")));
        Assert.True(UnsentWorkSweeper.IsRefusedAsItIs(new Azure.RequestFailedException(400, "Bad Request")));
        Assert.True(UnsentWorkSweeper.IsRefusedAsItIs(new ArgumentException("MessageId must be 1 to 128 characters.")));
    }

    [Fact]
    public async Task SentButNotRemoved_NextPassSendsItAgainAndDuplicateDetectionKeepsItSingle()
    {
        var parked = await ParkAsync(QueueNames.Escalations, "callback-requested-call-5", T0);
        var storage = new Mock<IUnsentWorkStore>();
        storage.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([parked]);
        storage.Setup(s => s.RemoveAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new AggregateException(new Azure.RequestFailedException(0, "Connection refused")));
        var logs = new CapturingLoggerProvider();
        using var factory = new LoggerFactory([logs]);
        var sweeper = new UnsentWorkSweeper(storage.Object, _queue, factory.CreateLogger<UnsentWorkSweeper>());

        var first = await sweeper.SweepAsync();
        await sweeper.SweepAsync();

        Assert.Equal(1, first.Sent);
        Assert.Single(_queue.Accepted);
        Assert.Single(_queue.Duplicates);
        Assert.Equal(2, logs.Lines.Count(l => l.EventId.Id == 4303 && l.Level == LogLevel.Warning));
    }

    [Fact]
    public async Task NothingParked_NothingSent()
    {
        var result = await Sweeper().SweepAsync();

        Assert.Equal(new UnsentWorkSweepResult(), result);
        Assert.Empty(_queue.Accepted);
    }

    private UnsentWorkSweeper Sweeper() => new(_store, _queue, NullLogger<UnsentWorkSweeper>.Instance);

    private async Task<UnsentWork> ParkAsync(string queue, string messageId, DateTimeOffset at)
    {
        var work = new UnsentWork(new WorkMessage
        {
            QueueName = queue, MessageId = messageId, Subject = "Escalation", Body = $"{{\"id\":\"{messageId}\"}}", CorrelationId = "call-1",
        })
        {
            CallId = "call-1",
            ParkedAt = at,
            LastError = "HttpRequestException: queue unreachable",
        };
        await _store.ParkAsync(work);
        return work;
    }
}
