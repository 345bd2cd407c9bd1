using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FunctionsIvr.CallRecords;

public static class CallRecordsHostBuilderExtensions
{
    /// <summary>
    /// The <see cref="CallRecordProcessor"/> for the <c>call-records</c> queue (an <see cref="IWorkProcessor"/>). Transient,
    /// like the typed <c>ErpClient</c> it uses (registered by <c>AddErpClient</c>). The flows send the commands through
    /// <see cref="CallRecordUpdates"/>.
    /// </summary>
    public static IHostApplicationBuilder AddCallRecords(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddWorkProcessor<CallRecordProcessor>(QueueNames.CallRecords);
        return builder;
    }
}
