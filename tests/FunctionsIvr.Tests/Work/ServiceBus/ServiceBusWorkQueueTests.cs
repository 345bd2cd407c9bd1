using Azure;
using FunctionsIvr.Work;
using FunctionsIvr.Work.ServiceBus;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.Work.ServiceBus;

public sealed class ServiceBusWorkQueueTests : IAsyncLifetime
{
    private FakeServiceBusServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeServiceBusServer.StartAsync([QueueNames.OrderCommits, QueueNames.Escalations]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Send_WorkMessage_ArrivesOnItsQueueWithEveryField()
    {
        var queue = CreateQueue();
        var message = new WorkMessage
        {
            QueueName = QueueNames.OrderCommits,
            MessageId = "tx-100",
            Subject = "CommitOrder",
            Body = """{"transactionId":"tx-100"}""",
            CorrelationId = "call-7",
            ApplicationProperties = new Dictionary<string, string> { ["Attempt"] = "1" },
            ScheduledEnqueueTime = new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero),
            TimeToLive = TimeSpan.FromHours(1),
        };

        await queue.SendAsync(message);

        var received = Assert.Single(_server.Messages(QueueNames.OrderCommits));
        Assert.Equal(message.Body, received.BodyText);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("tx-100", received.BrokerProperties["MessageId"].GetString());
        Assert.Equal("CommitOrder", received.BrokerProperties["Label"].GetString());
        Assert.Equal("call-7", received.BrokerProperties["CorrelationId"].GetString());
        Assert.Equal("Thu, 02 Jan 2031 03:04:05 GMT", received.BrokerProperties["ScheduledEnqueueTimeUtc"].GetString());
        Assert.Equal(3600, received.BrokerProperties["TimeToLive"].GetDouble());
        Assert.Equal("1", received.ApplicationProperties["Attempt"]);
        Assert.Empty(_server.Messages(QueueNames.Escalations));
    }

    [Fact]
    public async Task Send_SameMessageIdTwice_QueueHoldsItOnce()
    {
        var queue = CreateQueue();
        var message = new WorkMessage { QueueName = QueueNames.Escalations, MessageId = "esc-1", Subject = "SendEscalation", Body = "{}" };

        await queue.SendAsync(message);
        await queue.SendAsync(message);

        Assert.Single(_server.Messages(QueueNames.Escalations));
    }

    [Fact]
    public async Task Send_ServiceRefuses_ThrowsSoTheCallerKeepsTheWork()
    {
        _server.FailNext(403);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => CreateQueue().SendAsync(
            new WorkMessage { QueueName = QueueNames.OrderCommits, MessageId = "tx-1", Subject = "CommitOrder", Body = "{}" }));

        Assert.Equal(403, error.Status);
    }

    private ServiceBusWorkQueue CreateQueue()
    {
        var options = new ServiceBusClientOptions { Transport = _server.CreateTransport() };
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        return new ServiceBusWorkQueue(new ServiceBusRestClient(_server.ConnectionString(), options), NullLogger<ServiceBusWorkQueue>.Instance);
    }
}
