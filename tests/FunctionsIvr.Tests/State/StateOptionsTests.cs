using FunctionsIvr.State;
using FunctionsIvr.State.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.State;

public class StateOptionsTests
{
    private readonly StateOptionsValidator _validator = new();

    [Fact]
    public void Defaults_KeepThirtyDays() => Assert.Equal(30, new StateOptions().RetentionDays);

    [Theory]
    [InlineData(1)]
    [InlineData(3650)]
    public void RetentionDaysAtItsBounds_Valid(int days) =>
        Assert.True(_validator.Validate(null, new StateOptions { RetentionDays = days }).Succeeded);

    [Theory]
    [InlineData(0)]
    [InlineData(3651)]
    public void RetentionDaysOutOfRange_NamesTheKeyTheVariableTheValueAndTheRange(int days)
    {
        var result = _validator.Validate(null, new StateOptions { RetentionDays = days });

        Assert.Equal(
            $"State:RetentionDays (env State__RetentionDays) is {days}; it must be between 1 and 3650.",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public async Task AddCallState_RetentionDaysZero_StartFailsNamingTheSetting()
    {
        using var host = Build(new() { ["State:RetentionDays"] = "0" });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("State:RetentionDays (env State__RetentionDays) is 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddCallState_InMemory_RetentionPurgesTheStoresTheAppUses()
    {
        using var host = Build(new() { ["State:RetentionDays"] = "7" });

        Assert.Equal(7, host.Services.GetRequiredService<IOptions<StateOptions>>().Value.RetentionDays);
        Assert.Same(host.Services.GetRequiredService<ICallLog>(), host.Services.GetRequiredService<InMemoryCallLog>());
        Assert.Same(host.Services.GetRequiredService<IOutboxStore>(), host.Services.GetRequiredService<InMemoryOutboxStore>());
        Assert.Same(host.Services.GetRequiredService<ICallStateStore>(), host.Services.GetRequiredService<InMemoryCallStateStore>());
        Assert.IsType<InMemoryStatePurge>(host.Services.GetRequiredService<IStatePurge>());
        Assert.NotNull(host.Services.GetRequiredService<StateRetention>());
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCallState();
        return builder.Build();
    }
}
