using System.Collections.Concurrent;
using FunctionsIvr.Calls;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Calls;

/// <summary>Call log lines are written beside the answer, never in front of it, and storage trouble costs lines, not callers.</summary>
public class CallLogWriterTests
{
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task Write_StoreAnswersAtOnce_LineIsReadableRightAfter()
    {
        var store = new InMemoryCallLog();
        var writer = CreateWriter(store);

        writer.Write(Line("call-1", 1));

        Assert.Equal(1, Assert.Single(await store.ReadAsync("call-1")).Sequence);
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task Write_SlowStore_ReturnsBeforeTheStoreFinishesAndTheLineLandsLater()
    {
        var store = new HeldCallLog();
        var writer = CreateWriter(store);

        writer.Write(Line("call-1", 1));

        Assert.Equal(1, writer.Pending);
        Assert.Empty(store.Written);
        store.ReleaseAll();
        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("call-1", Assert.Single(store.Written).CallId);
    }

    [Fact]
    public async Task Write_StoreFails_FailureLoggedWithTheCallIdAndNothingThrown()
    {
        var store = new HeldCallLog();
        var writer = CreateWriter(store);

        writer.Write(Line("call-7", 3));
        store.FailAll(new IOException("table storage unreachable"));
        await writer.FlushAsync(TimeSpan.FromSeconds(10));

        var warning = Assert.Single(_logs.Lines, e => e.EventId.Id == 2105);
        Assert.Contains("call-7", warning.Message, StringComparison.Ordinal);
        Assert.Equal(0, writer.Pending);
    }

    [Fact]
    public async Task Write_StorageCannotKeepUp_LinesBeyondTheLimitDroppedCountedAndReportedOnce()
    {
        var store = new HeldCallLog();
        var writer = CreateWriter(store);

        for (var i = 0; i < CallLogWriter.MaxPendingWrites + 25; i++) writer.Write(Line("call-" + i, 1));

        Assert.Equal(CallLogWriter.MaxPendingWrites, writer.Pending);
        Assert.Equal(25, writer.Dropped);
        Assert.Single(_logs.Lines, e => e.EventId.Id == 2106);
        store.ReleaseAll();
        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(CallLogWriter.MaxPendingWrites, store.Written.Count);
    }

    [Fact]
    public async Task Stop_WaitsForLinesInFlight()
    {
        var store = new HeldCallLog();
        var writer = CreateWriter(store);
        writer.Write(Line("call-1", 1));

        var stopping = writer.StopAsync(CancellationToken.None);
        Assert.False(stopping.IsCompleted);
        store.ReleaseAll();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(store.Written);
    }

    private CallLogWriter CreateWriter(ICallLog store)
    {
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs));
        return new CallLogWriter(store, TimeProvider.System, factory.CreateLogger<CallLogWriter>());
    }

    private static CallLogEntry Line(string callId, int sequence) => new()
    {
        CallId = callId,
        Sequence = sequence,
        Time = DateTimeOffset.UnixEpoch,
        Step = "menu",
        EventName = "GetDTMF",
        EventData = "*",
        ActionType = "Play",
        Action = "Play Prompt=1",
        NextStep = "menu",
        DurationMs = 0.1,
    };

    /// <summary>Table Storage as slow as it likes: every write waits until the test lets it finish or fail.</summary>
    private sealed class HeldCallLog : ICallLog
    {
        private readonly ConcurrentQueue<(CallLogEntry Entry, TaskCompletionSource Done)> _held = new();

        public ConcurrentQueue<CallLogEntry> Written { get; } = new();

        public Task AppendAsync(CallLogEntry entry, CancellationToken cancellationToken = default)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held.Enqueue((entry, done));
            return done.Task;
        }

        public Task<IReadOnlyList<CallLogEntry>> ReadAsync(string callId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<CallLogEntry>>(Written.Where(e => e.CallId == callId).ToList());

        public void ReleaseAll()
        {
            while (_held.TryDequeue(out var held))
            {
                Written.Enqueue(held.Entry);
                held.Done.SetResult();
            }
        }

        public void FailAll(Exception failure)
        {
            while (_held.TryDequeue(out var held)) held.Done.SetException(failure);
        }
    }
}
