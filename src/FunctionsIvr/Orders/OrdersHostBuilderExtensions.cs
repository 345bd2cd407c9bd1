using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Orders;

public static class OrdersHostBuilderExtensions
{
    /// <summary>
    /// Ordering by phone: options under <c>Orders</c> (validated at start), <see cref="OrderPlacement"/> for the flows,
    /// <see cref="CommitOrderProcessor"/> for the <c>order-commits</c> queue (as an <see cref="IWorkProcessor"/>) and the
    /// <see cref="OutboxSweeper"/> for the SweepOutbox timer. Needs the ERP client, an <see cref="State.IOutboxStore"/>
    /// and an <see cref="IWorkQueue"/>. Transient, like the typed ERP client they use.
    /// </summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OrdersOptions>, OrdersOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ErpClock>();
        services.TryAddTransient<OrderPlacement>();
        services.TryAddTransient<OutboxSweeper>();
        services.AddWorkProcessor<CommitOrderProcessor>(QueueNames.OrderCommits);
        return builder;
    }
}
