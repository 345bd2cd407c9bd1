using FunctionsIvr.State;
using FunctionsIvr.Work;

namespace FunctionsIvr.Tests.State;

/// <summary>
/// What every <see cref="IUnsentWorkStore"/> promises. Subclass it once per implementation (in memory, Table Storage
/// over Azurite); each test gets a store of its own.
/// </summary>
public abstract class UnsentWorkStoreContract
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An empty store ready for use.</summary>
    protected abstract Task<IUnsentWorkStore> CreateStoreAsync();

    protected static UnsentWork Parked(string messageId, string queue = QueueNames.Escalations, DateTimeOffset? at = null, string body = "{\"reason\":\"CallbackRequested\"}") =>
        new(new WorkMessage
        {
            QueueName = queue,
            MessageId = messageId,
            Subject = "Escalation",
            Body = body,
            CorrelationId = "call-1",
        })
        {
            CallId = "call-1",
            ParkedAt = at ?? T0,
            LastError = "HttpRequestException: queue unreachable",
        };

    [Fact]
    public async Task Park_WithAnErrorLongerThanAPropertyHolds_IsParkedWithTheErrorsStart()
    {
        // A park refused for the error's length would lose the work: parking is its last way to be kept.
        var store = await CreateStoreAsync();
        var parked = new UnsentWork(Parked("call-1-escalation").Message)
        {
            CallId = "call-1", ParkedAt = T0, LastError = "RequestFailedException: " + new string('x', 40_000),
        };

        await store.ParkAsync(parked);

        var read = Assert.Single(await store.ListAsync());
        Assert.Equal(parked.Message.Body, read.Message.Body);
        Assert.StartsWith("RequestFailedException: xxx", read.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Park_ThenList_GivesTheMessageBackUnchangedWithItsCallAndWhyItWasParked()
    {
        var store = await CreateStoreAsync();
        var message = new WorkMessage
        {
            QueueName = QueueNames.CallRecords,
            MessageId = "call-1-update-3",
            Subject = "UpdateCallRecord",
            // Longer than one Table property holds.
            Body = "{\"card\":\"" + new string('x', 70_000) + "ż\"}",
            ContentType = "application/json; charset=utf-8",
            CorrelationId = "call-1",
            ApplicationProperties = new Dictionary<string, string> { ["Update"] = "3", ["Origin"] = "ivr" },
            ScheduledEnqueueTime = T0.AddMinutes(5),
            TimeToLive = TimeSpan.FromHours(6),
        };
        var parked = new UnsentWork(message) { CallId = "call-1", ParkedAt = T0, LastError = "TaskCanceledException: timed out" };

        await store.ParkAsync(parked);

        Assert.NotEqual(default, parked.ETag);
        var read = Assert.Single(await store.ListAsync());
        Assert.Equal(message.QueueName, read.Message.QueueName);
        Assert.Equal(message.MessageId, read.Message.MessageId);
        Assert.Equal(message.Subject, read.Message.Subject);
        Assert.Equal(message.Body, read.Message.Body);
        Assert.Equal(message.ContentType, read.Message.ContentType);
        Assert.Equal(message.CorrelationId, read.Message.CorrelationId);
        Assert.Equal(message.ApplicationProperties, read.Message.ApplicationProperties);
        Assert.Equal(message.ScheduledEnqueueTime, read.Message.ScheduledEnqueueTime);
        Assert.Equal(message.TimeToLive, read.Message.TimeToLive);
        Assert.Equal("call-1", read.CallId);
        Assert.Equal(T0, read.ParkedAt);
        Assert.Equal("TaskCanceledException: timed out", read.LastError);
    }

    [Fact]
    public async Task Park_MessageWithoutOptionalParts_ReadsBackWithoutThem()
    {
        var store = await CreateStoreAsync();
        var message = new WorkMessage { QueueName = QueueNames.Escalations, MessageId = "nobody-answered-call-2", Subject = "Escalation", Body = "{}" };

        await store.ParkAsync(new UnsentWork(message) { CallId = "call-2", ParkedAt = T0 });

        var read = Assert.Single(await store.ListAsync()).Message;
        Assert.Equal(message.ContentType, read.ContentType);
        Assert.Null(read.CorrelationId);
        Assert.Empty(read.ApplicationProperties);
        Assert.Null(read.ScheduledEnqueueTime);
        Assert.Null(read.TimeToLive);
    }

    [Fact]
    public async Task Park_SameMessageTwice_OneEntryTheLaterOne()
    {
        var store = await CreateStoreAsync();
        await store.ParkAsync(Parked("callback-requested-call-1", body: "{\"try\":1}"));

        await store.ParkAsync(Parked("callback-requested-call-1", at: T0.AddSeconds(3), body: "{\"try\":2}"));

        var read = Assert.Single(await store.ListAsync());
        Assert.Equal("{\"try\":2}", read.Message.Body);
        Assert.Equal(T0.AddSeconds(3), read.ParkedAt);
    }

    [Fact]
    public async Task Park_SameMessageIdOnTwoQueues_TwoEntries()
    {
        var store = await CreateStoreAsync();

        await store.ParkAsync(Parked("call-1-1", QueueNames.Escalations));
        await store.ParkAsync(Parked("call-1-1", QueueNames.CallRecords));

        Assert.Equal(2, (await store.ListAsync()).Count);
    }

    [Fact]
    public async Task List_OldestFirst()
    {
        var store = await CreateStoreAsync();
        await store.ParkAsync(Parked("b-later", at: T0.AddMinutes(2)));
        await store.ParkAsync(Parked("c-first", at: T0));
        await store.ParkAsync(Parked("a-between", QueueNames.CallRecords, at: T0.AddMinutes(1)));

        var ids = (await store.ListAsync()).Select(w => w.Message.MessageId);

        Assert.Equal(["c-first", "a-between", "b-later"], ids);
    }

    [Fact]
    public async Task Remove_TakesOnlyThatEntry()
    {
        var store = await CreateStoreAsync();
        await store.ParkAsync(Parked("sent"));
        await store.ParkAsync(Parked("still-waiting"));

        await store.RemoveAsync(QueueNames.Escalations, "sent");

        Assert.Equal("still-waiting", Assert.Single(await store.ListAsync()).Message.MessageId);
    }

    [Fact]
    public async Task MessageIdsHoldingCharactersKeysCannotHold_ParkedListedAndRemoved()
    {
        // Message ids carry the call id, which the platform chooses: "callback-requested-pbx-2/2026#1".
        var store = await CreateStoreAsync();
        await store.ParkAsync(Parked("callback-requested-pbx-2/2026#1"));
        await store.ParkAsync(Parked("callback-requested-pbx-2\\2026?1", at: T0.AddSeconds(1)));

        Assert.Equal(["callback-requested-pbx-2/2026#1", "callback-requested-pbx-2\\2026?1"],
            (await store.ListAsync()).Select(w => w.Message.MessageId));
        await store.RemoveAsync(QueueNames.Escalations, "callback-requested-pbx-2/2026#1");

        Assert.Equal("callback-requested-pbx-2\\2026?1", Assert.Single(await store.ListAsync()).Message.MessageId);
    }

    [Fact]
    public async Task Remove_EntryAlreadyGone_IsNotAnError()
    {
        var store = await CreateStoreAsync();

        await store.RemoveAsync(QueueNames.Escalations, "never-parked");

        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task Remove_QueueNameInOtherCase_RemovesIt()
    {
        // Service Bus queue names ignore case, so the stores do too.
        var store = await CreateStoreAsync();
        await store.ParkAsync(Parked("m-1", QueueNames.Escalations));

        await store.RemoveAsync(QueueNames.Escalations.ToUpperInvariant(), "m-1");

        Assert.Empty(await store.ListAsync());
    }

    [Fact]
    public async Task List_EmptyStore_Empty()
    {
        var store = await CreateStoreAsync();

        Assert.Empty(await store.ListAsync());
    }
}
