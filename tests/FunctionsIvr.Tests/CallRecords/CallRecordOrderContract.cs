using FunctionsIvr.CallRecords;
using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.CallRecords;

/// <summary>
/// A call's record updates reach the processor in any order (a failed one is redelivered after later ones); the ERP
/// record must still end as the updates say in their own order. Against each call state store.
/// </summary>
public abstract class CallRecordOrderContract
{
    private static readonly OpenCallRecord Open = new()
    {
        CallId = "call-91",
        FromNumber = "48600100200",
        DialledNumber = "48221234567",
        ContactId = "C-1001",
        StartedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero),
    };

    private static readonly UpdateCallRecord OrderPlaced = new()
    {
        CallId = "call-91", Outcome = CallOutcomes.OrderPlaced, OrderNumber = "ZS/2026/000777", Card = "Order ZS/2026/000777 placed by phone.", Open = Open,
    };

    private static readonly UpdateCallRecord Transferred = new()
    {
        CallId = "call-91", Outcome = CallOutcomes.Transferred, TransferredTo = "am_nowak", Card = "Transferred to am_nowak.", Open = Open,
    };

    private readonly Mock<ErpClient> _erp = new();
    private readonly List<UpdateCallRecordRequest> _patches = [];

    protected CallRecordOrderContract()
    {
        _erp.Setup(e => e.CreateCallRecordAsync(It.IsAny<CreateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CallRecord { Id = "cr-9", CallId = "call-91" });
    }

    protected abstract ICallStateStore CreateStore();

    [Fact]
    public async Task LaterUpdateProcessedFirst_RecordEndsWithTheLaterOutcomeAndKeepsTheEarlierOrderNumber()
    {
        PatchesLand();
        var processor = Processor(CreateStore());

        var endedAt = new DateTimeOffset(2026, 11, 2, 9, 34, 12, TimeSpan.FromHours(1));
        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred with { EndedAt = endedAt }, 9)), CancellationToken.None);
        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(OrderPlaced, 6), deliveryCount: 2), CancellationToken.None);

        var last = _patches[^1];
        Assert.Equal(endedAt, last.EndedAt);
        Assert.Equal(endedAt.Offset, last.EndedAt!.Value.Offset);
        Assert.Equal(CallOutcomes.Transferred, last.Outcome);
        Assert.Equal("Transferred to am_nowak.", last.Card);
        Assert.Equal("am_nowak", last.TransferredTo);
        Assert.Equal("ZS/2026/000777", last.OrderNumber);
    }

    [Fact]
    public async Task SameUpdateRedelivered_RecordUnchanged()
    {
        PatchesLand();
        var processor = Processor(CreateStore());

        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(OrderPlaced, 6)), CancellationToken.None);
        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred, 9)), CancellationToken.None);
        await processor.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(OrderPlaced, 6), deliveryCount: 2), CancellationToken.None);

        Assert.All(_patches.Skip(1), p => Assert.Equal(CallOutcomes.Transferred, p.Outcome));
        Assert.Equal(CallOutcomes.OrderPlaced, _patches[0].Outcome);
    }

    [Fact]
    public async Task LaterUpdateMergedWhileTheEarlierWasOnItsWay_TheNewerRecordIsSentLast()
    {
        // Two instances: the earlier update's PATCH is slow, and the later update is merged and sent meanwhile, so the
        // earlier PATCH lands after it at the ERP.
        var store = CreateStore();
        var earlier = Processor(store);
        var later = Processor(store);
        var interleaved = false;
        _erp.Setup(e => e.UpdateCallRecordAsync("cr-9", It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (string _, UpdateCallRecordRequest request, CancellationToken ct) =>
            {
                if (!interleaved)
                {
                    interleaved = true;
                    await later.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(Transferred, 9)), ct);
                }
                lock (_patches) _patches.Add(request);
                return new CallRecord { Id = "cr-9", CallId = "call-91" };
            });

        await earlier.ProcessAsync(Received(CallRecordMessages.ToWorkMessage(OrderPlaced, 6)), CancellationToken.None);

        Assert.Equal(CallOutcomes.OrderPlaced, _patches[1].Outcome); // the earlier one, landing late
        var last = _patches[^1];
        Assert.Equal(CallOutcomes.Transferred, last.Outcome);
        Assert.Equal("ZS/2026/000777", last.OrderNumber);
        Assert.Equal(3, _patches.Count);
    }

    private void PatchesLand() =>
        _erp.Setup(e => e.UpdateCallRecordAsync("cr-9", It.IsAny<UpdateCallRecordRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, UpdateCallRecordRequest request, CancellationToken _) =>
            {
                lock (_patches) _patches.Add(request);
                return new CallRecord { Id = "cr-9", CallId = "call-91" };
            });

    private CallRecordProcessor Processor(ICallStateStore store) => new(_erp.Object, store, NullLogger<CallRecordProcessor>.Instance);

    private static ReceivedWork Received(WorkMessage message, int deliveryCount = 1) =>
        new(message, deliveryCount, new DateTimeOffset(2026, 11, 2, 9, 31, 0, TimeSpan.Zero));
}

public sealed class InMemoryCallRecordOrderTests : CallRecordOrderContract
{
    protected override ICallStateStore CreateStore() =>
        new InMemoryCallStateStore(TimeProvider.System, Options.Create(new InMemoryStateOptions()));
}

[Collection(AzuriteCollection.Name)]
public sealed class TableCallRecordOrderTests(AzuriteFixture azurite) : CallRecordOrderContract
{
    protected override ICallStateStore CreateStore() =>
        new TableCallStateStore(azurite.CreateServiceClient(), TimeProvider.System, NullLogger<TableCallStateStore>.Instance, AzuriteFixture.UniqueTableName("crorder"));
}
