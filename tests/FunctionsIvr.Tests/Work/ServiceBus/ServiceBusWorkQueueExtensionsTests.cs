using FunctionsIvr.Work;
using FunctionsIvr.Work.ServiceBus;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FunctionsIvr.Tests.Work.ServiceBus;

public sealed class ServiceBusWorkQueueExtensionsTests
{
    [Fact]
    public void AddServiceBusWorkQueue_NothingConfigured_ReturnsFalseAndRegistersNothing()
    {
        var builder = Builder([]);

        Assert.False(builder.AddServiceBusWorkQueue());
        Assert.DoesNotContain(builder.Services, s => s.ServiceType == typeof(IWorkQueue));
    }

    [Fact]
    public void AddServiceBusWorkQueue_ConnectionString_RegistersServiceBusQueue()
    {
        var builder = Builder(new() { ["ServiceBusConnection"] = "Endpoint=sb://ivr.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b" });

        Assert.True(builder.AddServiceBusWorkQueue());
        using var services = builder.Services.BuildServiceProvider();
        Assert.IsType<ServiceBusWorkQueue>(services.GetRequiredService<IWorkQueue>());
        Assert.Equal("ivr.servicebus.windows.net", services.GetRequiredService<ServiceBusRestClient>().FullyQualifiedNamespace);
    }

    [Fact]
    public void AddServiceBusWorkQueue_ConnectionStringsSection_IsReadToo()
    {
        var builder = Builder(new() { ["ConnectionStrings:ServiceBusConnection"] = "Endpoint=sb://cs.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b" });

        Assert.True(builder.AddServiceBusWorkQueue());
    }

    [Fact]
    public void AddServiceBusWorkQueue_FullyQualifiedNamespace_RegistersIdentityBasedClient()
    {
        var builder = Builder(new()
        {
            ["ServiceBusConnection:fullyQualifiedNamespace"] = "ivr.servicebus.windows.net",
            ["ServiceBusConnection:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.True(builder.AddServiceBusWorkQueue());
        using var services = builder.Services.BuildServiceProvider();
        Assert.Equal("ivr.servicebus.windows.net", services.GetRequiredService<ServiceBusRestClient>().FullyQualifiedNamespace);
        Assert.IsType<ServiceBusWorkQueue>(services.GetRequiredService<IWorkQueue>());
    }

    [Fact]
    public void AddServiceBusWorkQueue_MalformedConnectionString_FailsAtStartupNamingTheSetting()
    {
        var builder = Builder(new() { ["ServiceBusConnection"] = "Endpoint=sb://ns/;SharedAccessKeyName=a" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceBusWorkQueue());

        Assert.Contains("ServiceBusConnection", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddServiceBusWorkQueue_ConnectionStringForOneQueue_FailsAtStartupNamingTheSetting()
    {
        var builder = Builder(new() { ["ServiceBusConnection"] = "Endpoint=sb://ivr.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b;EntityPath=order-commits" });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceBusWorkQueue());

        Assert.Contains("ServiceBusConnection", error.Message, StringComparison.Ordinal);
        Assert.Contains("EntityPath", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<namespace>.servicebus.windows.net")]
    [InlineData("ivr servicebus")]
    public void AddServiceBusWorkQueue_FullyQualifiedNamespaceNotAHost_FailsAtStartupNamingTheSetting(string value)
    {
        var builder = Builder(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = value });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceBusWorkQueue());

        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ivr.servicebus.windows.net:443")]
    [InlineData("sb://ivr.servicebus.windows.net/")]
    public void AddServiceBusWorkQueue_FullyQualifiedNamespaceWithPortOrScheme_Accepted(string value)
    {
        var builder = Builder(new() { ["ServiceBusConnection:fullyQualifiedNamespace"] = value });

        Assert.True(builder.AddServiceBusWorkQueue());
    }

    [Theory]
    [InlineData("ServiceBusConnection:clientId", "00000000-0000-0000-0000-000000000001")]
    [InlineData("ServiceBusConnection:credential", "managedidentity")]
    [InlineData("ServiceBusConnection:fullyQualifiedNamspace", "ivr.servicebus.windows.net")]
    public void AddServiceBusWorkQueue_IdentitySettingWithoutNamespace_FailsAtStartupInsteadOfQueueingInProcess(string key, string value)
    {
        var builder = Builder(new() { [key] = value });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddServiceBusWorkQueue());

        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(builder.Services, s => s.ServiceType == typeof(IWorkQueue));
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        return builder;
    }
}
