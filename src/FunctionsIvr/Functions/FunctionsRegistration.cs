using FunctionsIvr.Agents;
using FunctionsIvr.Support;
using FunctionsIvr.Work;
using FunctionsIvr.Work.DeadLetters;

namespace FunctionsIvr.Functions;

public static class FunctionsRegistration
{
    /// <summary>
    /// What the triggered functions need beyond their features: the dead-letter processors (the forwarded
    /// <c>dead-letters</c> queue in Azure, each queue's own dead-letter queue in process) and, without a Functions
    /// host, local stand-ins for the SweepOutbox and PurgeState timers; the card store and settings of the agent and call log pages.
    /// </summary>
    public static IHostApplicationBuilder AddFunctions(this IHostApplicationBuilder builder)
    {
        foreach (var queue in QueueNames.WorkQueues.Select(QueueNames.DeadLetterQueueOf).Append(QueueNames.DeadLetters))
        {
            // Built for each dead letter (rare): it holds nothing between deliveries.
            builder.Services.AddWorkProcessor(queue, typeof(DeadLetterProcessor), sp => ActivatorUtilities.CreateInstance<DeadLetterProcessor>(sp, queue));
        }

        builder.AddAgentPages();
        builder.AddSupportPages();
        builder.Services.AddOptions<LocalSweepTimerOptions>().Bind(builder.Configuration.GetSection(LocalSweepTimerOptions.SectionName));
        builder.Services.AddOptions<LocalPurgeTimerOptions>().Bind(builder.Configuration.GetSection(LocalPurgeTimerOptions.SectionName));
        if (string.IsNullOrEmpty(builder.Configuration[Hosting.CustomHandlerHosting.PortVariable]))
        {
            builder.Services.AddHostedService<LocalSweepTimer>();
            builder.Services.AddHostedService<LocalPurgeTimer>();
        }

        return builder;
    }
}
