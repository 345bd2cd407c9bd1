using FunctionsIvr.Work;

namespace FunctionsIvr.Tests.Work;

public sealed class InProcessWorkQueueContractTests : WorkQueueContract
{
    private InProcessWorkQueueHarness? harness;
    private RecordingProcessor? processor;

    protected override async Task<IWorkQueue> StartAsync(string queueName)
    {
        processor = new RecordingProcessor(queueName);
        harness = await InProcessWorkQueueHarness.StartAsync(processor);
        return harness.WorkQueue;
    }

    protected override async Task<IReadOnlyList<ReceivedWork>> ReceivedAsync(string queueName, int expected)
    {
        await harness!.IdleAsync();
        return processor!.Received;
    }

    protected override async Task StopAsync()
    {
        if (harness is not null) await harness.DisposeAsync();
    }
}
