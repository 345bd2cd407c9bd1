using System.Text.Json;
using Azure;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.CallRecords;

public class CallRecordProcessorTests
{
    private static readonly OpenCallRecord Open = new()
    {
        CallId = "call-77",
        FromNumber = "48600100200",
        DialledNumber = "48221234567",
        ContactId = "C-1001",
        StartedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
        Campaign = "spring-fair",
    };

    private static readonly UpdateCallRecord Transferred = new()
    {
        CallId = "call-77", Outcome = CallOutcomes.Transferred, TransferredTo = "am_nowak", Card = "Transferred to am_nowak.", Open = Open,
    };

    private readonly Mock<ErpClient> _erp = new();
    private readonly InMemoryCallStateStore _store = new(TimeProvider.System, Options.Create(new InMemoryStateOptions()));

    public CallRecordProcessorTests()
    {
        _erp.Setup(e => e.CreateCallRecordAsync(It.IsAny<CreateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((CreateCallRecordRequest r, CancellationToken _) => new CallRecord { Id = "cr-1", CallId = r.CallId });
        _erp.Setup(e => e.UpdateCallRecordAsync(It.IsAny<string>(), It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallRecord { Id = "cr-1", CallId = "call-77" });
    }

    [Fact]
    public async Task Open_CreatesTheRecordWithDialledNumberAndCampaignCard()
    {
        await Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Open)), CancellationToken.None);

        _erp.Verify(e => e.CreateCallRecordAsync(
            It.Is<CreateCallRecordRequest>(r => r.CallId == "call-77" && r.FromNumber == "48600100200" && r.DialledNumber == "48221234567"
                                                && r.ContactId == "C-1001" && r.StartedAt == Open.StartedAt && r.Card == "Campaign spring-fair."),
            It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Open_TwoOpensOfOneCall_BothSentWithTheFirstStartTheProcessorSaw()
    {
        // A repeated first callback queues a second open, three seconds later: the ERP would refuse it (422).
        await Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Open)), CancellationToken.None);
        await Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Open with { StartedAt = Open.StartedAt.AddSeconds(3) })),
            CancellationToken.None);
        await Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(
            Transferred with { Open = Open with { StartedAt = Open.StartedAt.AddSeconds(3) } }, 3)), CancellationToken.None);

        _erp.Verify(e => e.CreateCallRecordAsync(It.Is<CreateCallRecordRequest>(r => r.StartedAt == Open.StartedAt), It.IsAny<CancellationToken>()),
            Times.Exactly(3));
    }

    [Fact]
    public async Task Open_StateStorageDown_SentWithItsOwnStartAndWarned()
    {
        var store = new Mock<ICallStateStore>();
        store.Setup(s => s.SaveAsync(It.IsAny<CallState>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "Service Unavailable"));
        var logs = new Ivr.CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var processor = new CallRecordProcessor(_erp.Object, store.Object, factory.CreateLogger<CallRecordProcessor>());

        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Open)), CancellationToken.None);

        _erp.Verify(e => e.CreateCallRecordAsync(It.Is<CreateCallRecordRequest>(r => r.StartedAt == Open.StartedAt), It.IsAny<CancellationToken>()));
        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 8005);
        Assert.DoesNotContain("call-77", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_HiddenNumber_SentAsAnonymous()
    {
        await Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Open with { FromNumber = "" })), CancellationToken.None);

        _erp.Verify(e => e.CreateCallRecordAsync(It.Is<CreateCallRecordRequest>(r => r.FromNumber == "anonymous"), It.IsAny<CancellationToken>()));
    }

    [Fact]
    public async Task Update_FindsTheRecordByCreatingAgainThenPatchesIt()
    {
        await Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred, 3)), CancellationToken.None);

        _erp.Verify(e => e.CreateCallRecordAsync(Open.ToCreateRequest(), It.IsAny<CancellationToken>()), Times.Once());
        _erp.Verify(e => e.UpdateCallRecordAsync("cr-1",
            It.Is<UpdateCallRecordRequest>(u => u.Outcome == CallOutcomes.Transferred && u.TransferredTo == "am_nowak" && u.EndedAt == null),
            It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Update_RecordNotThereYet_ThrowsSoItIsRetriedThenSucceeds()
    {
        _erp.SetupSequence(e => e.UpdateCallRecordAsync("cr-1", It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.NotFound, "404", 404))
            .ReturnsAsync(new CallRecord { Id = "cr-1", CallId = "call-77" });
        var processor = Processor();
        var message = CallRecordMessages.ToWorkMessage(Transferred, 3);

        var first = await Assert.ThrowsAsync<ErpException>(() => processor.ProcessAsync(Received(message), CancellationToken.None));
        await processor.ProcessAsync(Received(message, deliveryCount: 2), CancellationToken.None);

        Assert.Equal(ErpErrorKind.NotFound, first.Kind);
        _erp.Verify(e => e.UpdateCallRecordAsync("cr-1", It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Update_ErpDown_Throws()
    {
        _erp.Setup(e => e.CreateCallRecordAsync(It.IsAny<CreateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new ErpException(ErpErrorKind.Unavailable, "503", 503));

        await Assert.ThrowsAsync<ErpException>(() =>
            Processor().ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred, 3)), CancellationToken.None));

        _erp.Verify(e => e.UpdateCallRecordAsync(It.IsAny<string>(), It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()), Times.Never());
    }

    [Fact]
    public async Task UnknownSubject_Throws()
    {
        var message = CallRecordMessages.ToWorkMessage(Open) with { Subject = "CloseCallRecord" };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Processor().ProcessAsync(Received(message), CancellationToken.None));

        Assert.DoesNotContain(message.MessageId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedBody_Throws()
    {
        var message = CallRecordMessages.ToWorkMessage(Transferred, 1) with { Body = """{"callId":"call-77"}""" };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Processor().ProcessAsync(Received(message), CancellationToken.None));

        // Logged on every retry and kept as the dead letter's description: the message id (it holds the call id) is masked.
        Assert.DoesNotContain(message.MessageId, error.Message, StringComparison.Ordinal);
        Assert.Contains(Redact.Id(message.MessageId), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdateWithoutItsOpenCommand_ThrowsWithTheMessageIdMasked()
    {
        var message = CallRecordMessages.ToWorkMessage(Transferred, 1) with { Body = """{"callId":"call-77","open":null}""" };

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Processor().ProcessAsync(Received(message), CancellationToken.None));

        Assert.Contains("no open command", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(message.MessageId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_BodiesInWebCasingWithoutNulls()
    {
        const string open = """{"callId":"call-77","fromNumber":"48600100200","dialledNumber":"48221234567","contactId":"C-1001","startedAt":"2026-11-02T09:30:00+00:00","campaign":"spring-fair"}""";

        Assert.Equal(open, CallRecordMessages.ToWorkMessage(Open).Body);
        Assert.Equal(
            """{"callId":"call-77","outcome":"transferred","transferredTo":"am_nowak","card":"Transferred to am_nowak.","open":""" + open + ""","number":3}""",
            CallRecordMessages.ToWorkMessage(Transferred, 3).Body);
        Assert.Equal(Transferred with { Number = 3 }, CallRecordMessages.Parse<UpdateCallRecord>(CallRecordMessages.ToWorkMessage(Transferred, 3).Body, "m"));
    }

    [Fact]
    public void Messages_IdsFollowTheCallAndUpdateNumber()
    {
        Assert.Equal("open-call-77", CallRecordMessages.ToWorkMessage(Open).MessageId);
        Assert.Equal("update-call-77-4", CallRecordMessages.ToWorkMessage(Transferred, 4).MessageId);
        Assert.Equal(QueueNames.CallRecords, CallRecordMessages.ToWorkMessage(Open).QueueName);
        Assert.True(CallRecordMessages.ToWorkMessage(Open with { CallId = new string('x', 200) }).MessageId.Length <= 128);
    }

    [Fact]
    public async Task Update_StateStorageDown_SentOnItsOwnAndNotHeldBack()
    {
        var store = new Mock<ICallStateStore>();
        store.Setup(s => s.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "Service Unavailable"));
        var processor = new CallRecordProcessor(_erp.Object, store.Object, NullLogger<CallRecordProcessor>.Instance);

        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred, 3)), CancellationToken.None);

        _erp.Verify(e => e.UpdateCallRecordAsync("cr-1",
            It.Is<UpdateCallRecordRequest>(u => u.Outcome == CallOutcomes.Transferred && u.TransferredTo == "am_nowak"),
            It.IsAny<CancellationToken>()), Times.Once());
    }

    [Fact]
    public async Task Update_QueuedBeforeUpdatesWereNumbered_AppliedAsItComes()
    {
        var message = CallRecordMessages.ToWorkMessage(Transferred, 3) with { Body = JsonSerializer.Serialize(Transferred, CallRecordMessages.JsonOptions) };
        Assert.DoesNotContain("\"number\"", message.Body, StringComparison.Ordinal);

        await Processor().ProcessAsync(Received(message), CancellationToken.None);

        _erp.Verify(e => e.UpdateCallRecordAsync("cr-1", Transferred.ToUpdateRequest(), It.IsAny<CancellationToken>()), Times.Once());
        Assert.Null(await _store.GetAsync(MergedCallRecord.StoreKey("call-77")));
    }

    [Fact]
    public async Task Update_LogLineSaysWhatWasSetWithoutTheValuesThatPointToAPerson()
    {
        var logs = new Ivr.CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        var processor = new CallRecordProcessor(_erp.Object, _store, factory.CreateLogger<CallRecordProcessor>());
        var cardOnly = new UpdateCallRecord { CallId = "call-77", Card = "Asked about ZS/2025/000042.", Open = Open };

        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(cardOnly, 2)), CancellationToken.None);
        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred, 3)), CancellationToken.None);

        var updated = logs.Entries.Where(e => e.EventId.Id == 8002).Select(e => e.Message).ToList();
        Assert.Equal(2, updated.Count);
        Assert.EndsWith("updated: card", updated[0], StringComparison.Ordinal);
        Assert.EndsWith("updated: outcome transferred, transfer target, card", updated[1], StringComparison.Ordinal);
        Assert.DoesNotContain("am_nowak", logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("000042", logs.AllText, StringComparison.Ordinal);
    }

    private CallRecordProcessor Processor() => new(_erp.Object, _store, NullLogger<CallRecordProcessor>.Instance);

    private static ReceivedWork Received(WorkMessage message, int deliveryCount = 1) =>
        new(message, deliveryCount, new DateTimeOffset(2026, 11, 2, 9, 31, 0, TimeSpan.Zero));
}
