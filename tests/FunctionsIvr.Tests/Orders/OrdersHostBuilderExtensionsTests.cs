using FunctionsIvr.Erp;
using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.Orders;

public class OrdersHostBuilderExtensionsTests
{
    [Fact]
    public void AddOrders_OrderCommitsQueueHasTheCommitProcessor()
    {
        using var host = Build();

        Assert.Equal([QueueNames.OrderCommits], WorkProcessors.QueueNamesHandled(host.Services));
        Assert.IsType<CommitOrderProcessor>(WorkProcessors.Find(host.Services, QueueNames.OrderCommits));
    }

    [Fact]
    public void AddOrders_PlacementAndSweeperResolve()
    {
        using var host = Build();

        Assert.NotNull(host.Services.GetRequiredService<OrderPlacement>());
        Assert.NotNull(host.Services.GetRequiredService<OutboxSweeper>());
    }

    [Fact]
    public void AddOrders_NoSettings_Defaults()
    {
        using var host = Build();

        var options = host.Services.GetRequiredService<IOptions<OrdersOptions>>().Value;

        Assert.Equal(10_000, options.MaxQuantity);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ResendAfter);
        Assert.Equal(TimeSpan.FromMinutes(1), options.ExpiryGrace);
    }

    [Fact]
    public async Task AddOrders_MaxQuantityZero_StartFailsNamingTheSetting()
    {
        using var host = Build(new() { ["Orders:MaxQuantity"] = "0" });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Orders:MaxQuantity", e.Message, StringComparison.Ordinal);
    }

    private static IHost Build(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.Services.AddSingleton(new Mock<ErpClient>().Object);
        builder.Services.AddSingleton<IOutboxStore, InMemoryOutboxStore>();
        builder.Services.AddSingleton<IWorkQueue, CapturingWorkQueue>();
        builder.AddOrders();
        return builder.Build();
    }
}
