using FunctionsIvr.Work;

namespace FunctionsIvr.Tests.Work;

/// <summary>
/// What every <see cref="IWorkQueue"/> promises a processor, whatever carries the messages. Subclass it once per
/// implementation: the in-process queue, and Service Bus later (over its fake HTTP server), overriding how
/// received messages are observed. MessageIds are unique per test and only the test's own messages are looked at.
/// </summary>
public abstract class WorkQueueContract : IAsyncLifetime
{
    protected const string ContractQueue = "contract-work";

    private IWorkQueue? queue;

    protected IWorkQueue Queue => queue ?? throw new InvalidOperationException("The queue is not started.");

    /// <summary>Starts the queue under test with a receiver (processor) listening on <paramref name="queueName"/>.</summary>
    protected abstract Task<IWorkQueue> StartAsync(string queueName);

    /// <summary>
    /// Every message received on <paramref name="queueName"/> so far, once delivery has settled. At least
    /// <paramref name="expected"/> are due; an implementation that cannot tell when delivery has settled waits for
    /// that many and then for a quiet period, so an extra (duplicate) delivery would still show.
    /// </summary>
    protected abstract Task<IReadOnlyList<ReceivedWork>> ReceivedAsync(string queueName, int expected);

    protected virtual Task StopAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => queue = await StartAsync(ContractQueue);

    public Task DisposeAsync() => StopAsync();

    protected static WorkMessage NewMessage(string body = "{\"transactionId\":\"tx-1\",\"lines\":2}") => new()
    {
        QueueName = ContractQueue,
        MessageId = "msg-" + Guid.NewGuid().ToString("N"),
        Subject = "CommitOrder",
        Body = body,
        ContentType = "application/json",
        CorrelationId = "call-" + Guid.NewGuid().ToString("N"),
        ApplicationProperties = new Dictionary<string, string> { ["tenant"] = "demo", ["attempt"] = "1" },
    };

    private async Task<List<ReceivedWork>> ReceivedOfAsync(int expected, params WorkMessage[] sent)
    {
        var ids = sent.Select(m => m.MessageId).ToHashSet(StringComparer.Ordinal);
        var received = await ReceivedAsync(ContractQueue, expected);
        return received.Where(w => ids.Contains(w.Message.MessageId)).ToList();
    }

    [Fact]
    public async Task Send_Message_ProcessorGetsItOnceWithItsBodyIdsAndProperties()
    {
        var sent = NewMessage();

        await Queue.SendAsync(sent);

        var work = Assert.Single(await ReceivedOfAsync(1, sent));
        Assert.Equal(sent.Body, work.Message.Body);
        Assert.Equal(sent.Subject, work.Message.Subject);
        Assert.Equal(sent.MessageId, work.Message.MessageId);
        Assert.Equal(sent.CorrelationId, work.Message.CorrelationId);
        Assert.Equal(sent.ContentType, work.Message.ContentType);
        Assert.Equal("demo", work.Message.ApplicationProperties["tenant"]);
        Assert.Equal("1", work.Message.ApplicationProperties["attempt"]);
        Assert.Equal(1, work.DeliveryCount);
        Assert.Null(work.DeadLetterReason);
    }

    [Fact]
    public async Task Send_SameMessageIdTwice_OnlyTheFirstIsDelivered()
    {
        var first = NewMessage(body: "{\"v\":1}");
        var repeat = first with { Body = "{\"v\":2}" };

        await Queue.SendAsync(first);
        await Queue.SendAsync(repeat);

        var work = Assert.Single(await ReceivedOfAsync(1, first));
        Assert.Equal("{\"v\":1}", work.Message.Body);
    }

    [Fact]
    public async Task Send_SeveralMessages_EachDeliveredOnce()
    {
        var sent = Enumerable.Range(1, 5).Select(i => NewMessage(body: $"{{\"n\":{i}}}")).ToArray();

        foreach (var message in sent) await Queue.SendAsync(message);

        var received = await ReceivedOfAsync(sent.Length, sent);
        Assert.Equal(sent.Select(m => m.MessageId).Order(), received.Select(w => w.Message.MessageId).Order());
        Assert.All(received, w => Assert.Equal(sent.Single(m => m.MessageId == w.Message.MessageId).Body, w.Message.Body));
    }

    [Fact]
    public async Task Send_CallerChangesItsPropertiesAfterSending_ProcessorGetsWhatWasSent()
    {
        var properties = new Dictionary<string, string> { ["tenant"] = "demo" };
        var sent = NewMessage() with { ApplicationProperties = properties };

        await Queue.SendAsync(sent);
        properties["tenant"] = "changed";
        properties["added"] = "later";

        var work = Assert.Single(await ReceivedOfAsync(1, sent));
        Assert.Equal("demo", work.Message.ApplicationProperties["tenant"]);
        Assert.False(work.Message.ApplicationProperties.ContainsKey("added"));
    }
}
