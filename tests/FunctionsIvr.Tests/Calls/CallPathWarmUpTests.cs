using FunctionsIvr.Calls;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Calls;

/// <summary>The cold-start head start stays inside the process: a started app has asked nobody anything.</summary>
public class CallPathWarmUpTests
{
    [Fact]
    public async Task AppStarted_WarmUpFinished_NoErpCallNoCallLogNoQueuedWorkNoFailure()
    {
        var logs = new CapturingLoggerProvider();
        var queue = new RecordingWorkQueue();
        var callLog = new FunctionsIvr.State.InMemory.InMemoryCallLog();
        using var app = new IvrApp().WithServices(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.RemoveAll<IWorkQueue>();
            services.AddSingleton<IWorkQueue>(queue);
            services.RemoveAll<ICallLog>();
            services.AddSingleton<ICallLog>(callLog);
        });

        await app.Services.GetRequiredService<CallPathWarmUp>().Completed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(app.Erp.Invocations);
        Assert.Equal(0, queue.Attempts);
        Assert.Empty(await callLog.ReadAsync("warm-up"));
        Assert.DoesNotContain(logs.Lines, l => l.EventId.Id == 2110);
    }
}
