using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FunctionsIvr.Tests.Work;

public sealed class WorkQueueRegistrationTests
{
    [Fact]
    public void AddWorkQueue_NoServiceBus_TheInProcessQueueIsVolatileFromItsStart()
    {
        var clock = new ManualTimeProvider();
        var builder = Builder([]);
        builder.Services.AddSingleton<TimeProvider>(clock);

        builder.AddWorkQueue();
        using var services = builder.Services.BuildServiceProvider();

        var queue = services.GetRequiredService<InProcessWorkQueue>();
        Assert.Equal(clock.GetUtcNow(), queue.StartedAt);
        Assert.Equal(queue.StartedAt, services.GetRequiredService<VolatileWorkQueue>().StartedAt);
    }

    [Fact]
    public void AddWorkQueue_ServiceBus_NotVolatile()
    {
        var builder = Builder(new() { ["ServiceBusConnection"] = "Endpoint=sb://ivr.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b" });

        builder.AddWorkQueue();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Null(services.GetService<VolatileWorkQueue>());
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        return builder;
    }
}
