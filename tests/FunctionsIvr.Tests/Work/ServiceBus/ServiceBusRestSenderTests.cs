using FunctionsIvr.Tests.Fakes;
using System.Net;
using Azure;
using FunctionsIvr.Tests.Testing;
using FunctionsIvr.Work.ServiceBus;

namespace FunctionsIvr.Tests.Work.ServiceBus;

public sealed class ServiceBusRestSenderTests : IAsyncLifetime
{
    private const string Queue = "order-commits";
    private FakeServiceBusServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeServiceBusServer.StartAsync([Queue, "escalations"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SendMessage_EveryProperty_ArrivesAsTheServiceReadsIt()
    {
        var sender = CreateClient().CreateSender(Queue);
        var message = new ServiceBusMessage("""{"transactionId":"tx-1"}""")
        {
            MessageId = "tx-1",
            ContentType = "application/json",
            CorrelationId = "call-42",
            Subject = "CommitOrder",
            TimeToLive = TimeSpan.FromSeconds(90),
            ScheduledEnqueueTime = new DateTimeOffset(2030, 11, 6, 10, 49, 37, TimeSpan.FromHours(2)),
            ApplicationProperties = { ["Priority"] = "High", ["Attempt"] = 3, ["Urgent"] = true },
        };

        await sender.SendMessageAsync(message);

        var received = Assert.Single(_server.Messages(Queue));
        Assert.Equal("""{"transactionId":"tx-1"}""", received.BodyText);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("tx-1", received.BrokerProperties["MessageId"].GetString());
        Assert.Equal("call-42", received.BrokerProperties["CorrelationId"].GetString());
        Assert.Equal("CommitOrder", received.BrokerProperties["Label"].GetString());
        Assert.Equal(90, received.BrokerProperties["TimeToLive"].GetDouble());
        Assert.Equal("Wed, 06 Nov 2030 08:49:37 GMT", received.BrokerProperties["ScheduledEnqueueTimeUtc"].GetString());
        Assert.Equal("High", received.ApplicationProperties["Priority"]);
        Assert.Equal("3", received.ApplicationProperties["Attempt"]);
        Assert.Equal("true", received.ApplicationProperties["Urgent"]);
    }

    [Fact]
    public async Task SendMessage_SasToken_PassesTheServicesSignatureCheckForThisEntity()
    {
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        var sender = CreateClient(clock).CreateSender(Queue);

        await sender.SendMessageAsync(new ServiceBusMessage("x") { MessageId = "sas-1" });

        var authorization = Assert.Single(_server.Messages(Queue)).Authorization;
        var fields = authorization["SharedAccessSignature ".Length..].Split('&').Select(f => f.Split('=', 2)).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal($"https://{_server.FullyQualifiedNamespace}/{Queue}", WebUtility.UrlDecode(fields["sr"]));
        Assert.Equal(FakeServiceBusServer.KeyName, fields["skn"]);
        Assert.Equal((clock.GetUtcNow() + TimeSpan.FromMinutes(30)).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), fields["se"]);
    }

    [Fact]
    public async Task SendMessage_WrongKey_Throws401WithoutRetrying()
    {
        var client = new ServiceBusRestClient(_server.ConnectionString(key: "wrong-key"), Options());

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m" }));

        Assert.Equal(401, error.Status);
        Assert.Equal("401", error.ErrorCode);
        Assert.Single(_server.Requests);
        Assert.Empty(_server.Messages(Queue));
    }

    [Fact]
    public async Task SendMessage_SasTokenReused_UntilFiveMinutesBeforeExpiry()
    {
        var clock = new ManualTimeProvider(TimeProvider.System.GetUtcNow());
        var sender = CreateClient(clock).CreateSender(Queue);

        await sender.SendMessageAsync(new ServiceBusMessage("1") { MessageId = "t1" });
        clock.Advance(TimeSpan.FromMinutes(24));
        await sender.SendMessageAsync(new ServiceBusMessage("2") { MessageId = "t2" });
        clock.Advance(TimeSpan.FromMinutes(2));
        await sender.SendMessageAsync(new ServiceBusMessage("3") { MessageId = "t3" });

        var tokens = _server.Messages(Queue).Select(m => m.Authorization).ToList();
        Assert.Equal(tokens[0], tokens[1]);
        Assert.NotEqual(tokens[1], tokens[2]);
    }

    [Fact]
    public async Task SendMessage_ServiceStoredItButAnswered503_RetryIsDroppedAsDuplicate()
    {
        _server.FailNext(503, afterAccepting: true);
        var sender = CreateClient().CreateSender(Queue);
        var message = new ServiceBusMessage("commit") { Subject = "CommitOrder" };

        await sender.SendMessageAsync(message);

        Assert.Equal([503, 201], _server.Requests.Select(r => r.Status));
        Assert.Equal([message.MessageId, message.MessageId], _server.Requests.Select(r => r.MessageId));
        Assert.Equal(message.MessageId, Assert.Single(_server.Messages(Queue)).BrokerProperties["MessageId"].GetString());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task SendMessage_TransientFailure_IsRetriedAndDelivered(int status)
    {
        _server.FailNext(status, times: 2);

        await CreateClient().CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "transient" });

        Assert.Equal(3, _server.Requests.Count);
        Assert.Single(_server.Messages(Queue));
    }

    [Fact]
    public async Task SendMessage_TransientFailureOutlastsRetries_ThrowsWithStatus()
    {
        _server.FailNext(503, times: 10);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => CreateClient().CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "never" }));

        Assert.Equal(503, error.Status);
        Assert.Equal(4, _server.Requests.Count);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(413)]
    public async Task SendMessage_PermanentFailure_SurfacesStatusWithoutRetrying(int status)
    {
        _server.FailNext(status);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => CreateClient().CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m" }));

        Assert.Equal(status, error.Status);
        Assert.Single(_server.Requests);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(410)]
    public async Task SendMessage_QueueMissing_ThrowsTheServicesStatus(int missingStatus)
    {
        _server.MissingEntityStatus = missingStatus;

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => CreateClient().CreateSender("no-such-queue").SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m" }));

        Assert.Equal(missingStatus, error.Status);
    }

    [Fact]
    public async Task SendMessage_LargerThanClientLimit_Fails413BeforeAnyRequest()
    {
        var sender = CreateClient().CreateSender(Queue);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => sender.SendMessageAsync(new ServiceBusMessage(new BinaryData(new byte[256 * 1024])) { MessageId = "big" }));

        Assert.Equal(413, error.Status);
        Assert.Equal("MessageSizeExceeded", error.ErrorCode);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SendMessage_LargerThanServiceLimit_ServicesForbiddenTakenForTooLarge()
    {
        var options = Options();
        options.MaxMessageSizeInBytes = 1024 * 1024;
        var sender = new ServiceBusRestClient(_server.ConnectionString(), options).CreateSender(Queue);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => sender.SendMessageAsync(new ServiceBusMessage(new BinaryData(new byte[300 * 1024])) { MessageId = "big" }));

        Assert.Equal(403, error.Status);
        Assert.Equal("MessageSizeExceeded", error.ErrorCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task SendMessage_ForbiddenForTheQueuesQuota_NotTakenForTooLarge()
    {
        _server.FailNext(403);

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => CreateClient().CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m" }));

        Assert.Equal(403, error.Status);
        Assert.Equal("403", error.ErrorCode);
    }

    [Theory]
    [InlineData("The message size exceeds the limit of 262144 bytes allowed on this entity.", true)]
    [InlineData("The message (id:m-1, size:262870 bytes) is larger than is currently allowed (262144 bytes).", true)]
    [InlineData("MessageSizeExceeded. TrackingId:1a2b", true)]
    [InlineData("The maximum entity size has been reached or exceeded for Queue: 'escalations'. Size of entity in bytes:1073742326, Max entity size in bytes: 1073741824.", false)]
    [InlineData("Unauthorized access. 'Send' claim(s) are required to perform this operation.", false)]
    public void IsAboutMessageSize_TheMessageNotTheQueue(string detail, bool aboutTheMessage) =>
        Assert.Equal(aboutTheMessage, ServiceBusRequestFailedDetailsParser.IsAboutMessageSize(detail));

    [Fact]
    public async Task SendMessage_InvalidIdsOrProperties_AreRejectedBeforeSending()
    {
        var sender = CreateClient().CreateSender(Queue);

        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendMessageAsync(new ServiceBusMessage("x") { MessageId = new string('m', 129) }));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendMessageAsync(new ServiceBusMessage("x") { SessionId = "a", PartitionKey = "b" }));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendMessageAsync(new ServiceBusMessage("x") { ApplicationProperties = { ["Bad Name"] = "v" } }));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendMessageAsync(new ServiceBusMessage("x") { ApplicationProperties = { ["Authorization"] = "v" } }));
        await Assert.ThrowsAsync<ArgumentException>(() => sender.SendMessageAsync(new ServiceBusMessage("x") { ApplicationProperties = { ["Name"] = "Zoë" } }));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task SendMessage_NonAsciiBrokerProperty_TravelsEscapedAndReadsBackIntact()
    {
        await CreateClient().CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m", Subject = "Café “quoted”" });

        Assert.Equal("Café “quoted”", Assert.Single(_server.Messages(Queue)).BrokerProperties["Label"].GetString());
    }

    [Fact]
    public async Task SendMessage_BearerCredential_SendsTokenForTheServiceBusScope()
    {
        _server.AcceptBearerToken("entra-token");
        var credential = new RecordingTokenCredential("entra-token");
        var client = new ServiceBusRestClient(_server.FullyQualifiedNamespace, credential, Options());

        await client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "bearer" });

        Assert.Equal("Bearer entra-token", Assert.Single(_server.Messages(Queue)).Authorization);
        Assert.All(credential.RequestedScopes, scopes => Assert.Equal(["https://servicebus.azure.net/.default"], scopes));
        Assert.NotEmpty(credential.RequestedScopes);
    }

    [Fact]
    public async Task SendMessage_UnknownBearerToken_Throws401()
    {
        var client = new ServiceBusRestClient(_server.FullyQualifiedNamespace, new RecordingTokenCredential("not-accepted"), Options());

        var error = await Assert.ThrowsAsync<RequestFailedException>(
            () => client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "m" }));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public void CreateSender_ConnectionStringForAnotherEntity_IsRejected()
    {
        var client = new ServiceBusRestClient(_server.ConnectionString(entityPath: Queue), Options());

        Assert.Equal(Queue, client.CreateSender(Queue).EntityPath);
        Assert.Throws<ArgumentException>(() => client.CreateSender("escalations"));
    }

    [Fact]
    public async Task SendMessage_EntityScopedConnectionString_Delivers()
    {
        var client = new ServiceBusRestClient(_server.ConnectionString(entityPath: Queue), Options());

        await client.CreateSender(Queue).SendMessageAsync(new ServiceBusMessage("x") { MessageId = "scoped" });

        Assert.Single(_server.Messages(Queue));
    }

    private ServiceBusRestClient CreateClient(TimeProvider? clock = null) => new(_server.ConnectionString(), Options(clock));

    private ServiceBusClientOptions Options(TimeProvider? clock = null)
    {
        var options = new ServiceBusClientOptions { Transport = _server.CreateTransport(), TimeProvider = clock ?? TimeProvider.System };
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        return options;
    }
}
