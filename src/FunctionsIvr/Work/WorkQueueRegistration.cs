using FunctionsIvr.Work.InProcess;
using FunctionsIvr.Work.ServiceBus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.Work;

public static class WorkQueueRegistration
{
    /// <summary>
    /// Out-of-band work: sent to Service Bus when <c>ServiceBusConnection</c> (or its <c>__fullyQualifiedNamespace</c>) is
    /// set, where the Functions host triggers the processors through their function endpoints; otherwise an in-process
    /// queue that calls the same processors with the same retry and dead-letter rules. Either way failed deliveries are
    /// spaced by <see cref="WorkRetryOptions"/> (section <c>WorkQueue</c>). Also the
    /// <see cref="UnsentWorkSweeper"/> the SweepOutbox timer runs (it needs the <c>IUnsentWorkStore</c> of <c>AddCallState</c>).
    /// </summary>
    public static IHostApplicationBuilder AddWorkQueue(this IHostApplicationBuilder builder)
    {
        builder.Services.AddWorkRetrySchedule(builder.Configuration);
        if (!builder.AddServiceBusWorkQueue()) builder.AddInProcessWorkQueue();
        builder.Services.TryAddTransient<UnsentWorkSweeper>();
        return builder;
    }
}
