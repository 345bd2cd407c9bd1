using System.Collections.Concurrent;
using FunctionsIvr.Hosting;
using FunctionsIvr.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using static FunctionsIvr.Tests.Work.InProcessWorkQueueHarness;

namespace FunctionsIvr.Tests.Work;

public sealed class WorkProcessorsTests
{
    private const string Orders = QueueNames.OrderCommits;
    private const string CallRecords = QueueNames.CallRecords;

    [Fact]
    public async Task Delivery_BuildsOnlyTheProcessorOfItsQueue()
    {
        // Every processor of the app holds a typed ERP client: building all of them for each delivery was wasted work.
        var built = new Built();
        await using var sut = await InProcessWorkQueueHarness.StartAsync(null, [], services =>
        {
            services.AddSingleton(built);
            services.AddWorkProcessor<OrdersProcessor>(Orders);
            services.AddWorkProcessor<CallRecordsProcessor>(CallRecords);
        });
        Assert.Empty(built.Types);

        await sut.SendAsync(Message(Orders));
        await sut.SendAsync(Message(Orders));
        await sut.IdleAsync();

        Assert.Equal([nameof(OrdersProcessor), nameof(OrdersProcessor)], built.Types);
    }

    [Fact]
    public void AddWorkProcessor_SameTypeForTheSameQueueTwice_OneProcessor()
    {
        // Features register themselves; adding a feature twice must not make two processors for one queue.
        var services = new ServiceCollection().AddSingleton(new Built());
        services.AddWorkProcessor<OrdersProcessor>(Orders);
        services.AddWorkProcessor<OrdersProcessor>(Orders.ToUpperInvariant());
        using var provider = services.BuildServiceProvider();

        Assert.Equal([Orders], WorkProcessors.QueueNamesHandled(provider));
        Assert.IsType<OrdersProcessor>(WorkProcessors.Find(provider, Orders.ToUpperInvariant()));
    }

    [Fact]
    public void Find_QueueWithoutProcessor_Null()
    {
        var services = new ServiceCollection().AddSingleton(new Built());
        services.AddWorkProcessor<OrdersProcessor>(Orders);
        using var provider = services.BuildServiceProvider();

        Assert.Null(WorkProcessors.Find(provider, CallRecords));
        Assert.Null(WorkProcessors.Find(new ServiceCollection().BuildServiceProvider(), Orders));
    }

    [Fact]
    public void MapServiceBusFunction_TwoProcessorsForItsQueue_FailsAtStartupNamingBoth()
    {
        // Under the Functions host there is no in-process dispatcher to check the wiring on start: mapping does.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton(new Built());
        builder.Services.AddWorkProcessor<OrdersProcessor>(Orders);
        builder.Services.AddWorkProcessor<CallRecordsProcessor>(Orders);
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapServiceBusFunction("CommitOrder", Orders));

        Assert.Contains(Orders, error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OrdersProcessor), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(CallRecordsProcessor), error.Message, StringComparison.Ordinal);
    }

    private sealed class Built
    {
        private readonly ConcurrentQueue<string> types = new();

        public IReadOnlyList<string> Types => [.. types];

        public void Add(object processor) => types.Enqueue(processor.GetType().Name);
    }

    private sealed class OrdersProcessor : IWorkProcessor
    {
        public OrdersProcessor(Built built) => built.Add(this);

        public Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class CallRecordsProcessor : IWorkProcessor
    {
        public CallRecordsProcessor(Built built) => built.Add(this);

        public Task ProcessAsync(ReceivedWork work, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
