using FunctionsIvr.Work.InProcess;
using FunctionsIvr.Work.ServiceBus;

namespace FunctionsIvr.Work;

public static class WorkQueueRegistration
{
    /// <summary>
    /// Out-of-band work: sent to Service Bus when <c>ServiceBusConnection</c> (or its <c>__fullyQualifiedNamespace</c>) is
    /// set, where the Functions host triggers the processors through their function endpoints; otherwise an in-process
    /// queue that calls the same processors with the same retry and dead-letter rules.
    /// </summary>
    public static IHostApplicationBuilder AddWorkQueue(this IHostApplicationBuilder builder)
    {
        if (!builder.AddServiceBusWorkQueue()) builder.AddInProcessWorkQueue();
        return builder;
    }
}
