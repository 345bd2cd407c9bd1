using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace FunctionsIvr.Tests.State.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableCallLogTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly string _tableName = AzuriteFixture.UniqueTableName("calllog");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

    [Fact]
    public async Task Read_UnknownCall_IsEmpty()
    {
        Assert.Empty(await CreateLog().ReadAsync("nobody"));
    }

    [Fact]
    public async Task Append_ThenRead_ReturnsEveryFieldInSequenceOrder()
    {
        var log = CreateLog();
        var entries = new[] { 10, 2, 1 }.Select(i => Entry("call-a", i)).ToList();
        foreach (var entry in entries) await log.AppendAsync(entry);
        await log.AppendAsync(Entry("call-b", 1));

        var read = await log.ReadAsync("call-a");

        Assert.Equal([1, 2, 10], read.Select(e => e.Sequence));
        Assert.Equal(entries.OrderBy(e => e.Sequence), read);
    }

    [Fact]
    public async Task Append_SameSequenceAgain_ReplacesTheLine()
    {
        var log = CreateLog();
        await log.AppendAsync(Entry("call-c", 3) with { Note = "first try" });

        await log.AppendAsync(Entry("call-c", 3) with { Note = null, Action = "Hangup" });

        var line = Assert.Single(await log.ReadAsync("call-c"));
        Assert.Null(line.Note);
        Assert.Equal("Hangup", line.Action);
    }

    [Fact]
    public async Task Read_CallIdWithQuote_OnlyThatCallsLines()
    {
        var log = CreateLog();
        await log.AppendAsync(Entry("it's", 1));
        await log.AppendAsync(Entry("it", 1));

        Assert.Equal(["it's"], (await log.ReadAsync("it's")).Select(e => e.CallId));
    }

    [Fact]
    public async Task AppendAndRead_TableDeletedWhileTheAppRuns_IsCreatedAgain()
    {
        var log = CreateLog();
        await log.AppendAsync(Entry("call-a", 1));
        await azurite.CreateServiceClient().DeleteTableAsync(_tableName);

        Assert.Empty(await log.ReadAsync("call-a"));
        await log.AppendAsync(Entry("call-a", 2));

        Assert.Equal([2], (await log.ReadAsync("call-a")).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Append_NegativeSequence_IsRejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CreateLog().AppendAsync(Entry("call-d", -1)));
    }

    private static CallLogEntry Entry(string callId, int sequence) => new()
    {
        CallId = callId,
        Sequence = sequence,
        Time = new DateTimeOffset(2025, 6, 1, 12, 0, sequence % 60, TimeSpan.FromHours(2)),
        Step = "main_menu",
        EventName = "DTMF",
        EventData = "##",
        ActionType = "GetDTMF",
        Action = "GetDTMF prompt=main_menu digits=1",
        NextStep = "order",
        DurationMs = 12.5 + sequence,
        ErpCalls = "GET /contacts 38 ms",
        Note = sequence % 2 == 0 ? "even" : null,
    };

    private TableCallLog CreateLog() => new(azurite.CreateServiceClient(), NullLogger<TableCallLog>.Instance, _tableName);
}
