using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Transfer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Calls;

/// <summary>What a deployment with wrong <c>Calls</c> or <c>Transfer</c> settings sees: the key, its variable and the range.</summary>
public class CallFlowSettingsTests
{
    private static readonly Dictionary<string, string?> Transfer = new()
    {
        ["Transfer:AgentLogin"] = "agent_default",
        ["Transfer:TeamQueue"] = "kolejka_sprzedaz",
    };

    [Fact]
    public void Defaults_Valid()
    {
        using var host = Build(Transfer);

        Assert.Equal(10_000, host.Services.GetRequiredService<IOptions<CallEngineOptions>>().Value.WorkTimeoutMs);
        Assert.Equal(15, host.Services.GetRequiredService<IOptions<TransferOptions>>().Value.AgentRingSeconds);
        Assert.Equal("PLN", host.Services.GetRequiredService<IOptions<CallEngineOptions>>().Value.PromptCurrency);
    }

    [Theory]
    [InlineData("WorkTimeoutMs", "499", "500 and 120000")]
    [InlineData("WorkTimeoutMs", "120001", "500 and 120000")]
    [InlineData("QueueSendTimeoutMs", "99", "100 and 30000")]
    [InlineData("ParkWorkTimeoutMs", "30001", "100 and 30000")]
    [InlineData("MaxStepsPerCall", "4", "5 and 1000")]
    [InlineData("MaxHoldsPerStep", "-1", "0 and 10")]
    [InlineData("MaxTransitionsPerCallback", "101", "2 and 100")]
    public void CallsLimitOutOfRange_NamesTheKeyTheValueAndTheRange(string property, string value, string range)
    {
        using var host = Build(new(Transfer) { ["Calls:" + property] = value });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CallEngineOptions>>().Value);

        Assert.Contains($"Calls:{property} (env Calls__{property}) is {value}; it must be between {range}.", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("zł")]
    [InlineData(" ")]
    public void PromptCurrencyNotAnIsoCode_NamesTheKeyAndTheValue(string value)
    {
        using var host = Build(new(Transfer) { ["Calls:PromptCurrency"] = value });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CallEngineOptions>>().Value);

        Assert.Contains($"Calls:PromptCurrency (env Calls__PromptCurrency) is '{value}': an ISO 4217 code in capitals", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/Warszawa")]
    [InlineData("")]
    public void TimeZoneUnknown_NamesTheKeyAndTheValue(string value)
    {
        using var host = Build(new(Transfer) { ["Calls:TimeZone"] = value });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<CallEngineOptions>>().Value);

        Assert.Contains($"Calls:TimeZone (env Calls__TimeZone) is '{value}': not a time zone this machine knows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallsLimitsAtTheirBounds_Valid()
    {
        using var host = Build(new(Transfer)
        {
            ["Calls:WorkTimeoutMs"] = "500", ["Calls:QueueSendTimeoutMs"] = "30000", ["Calls:MaxHoldsPerStep"] = "0",
            ["Calls:MaxTransitionsPerCallback"] = "100",
        });

        Assert.Equal(500, host.Services.GetRequiredService<IOptions<CallEngineOptions>>().Value.WorkTimeoutMs);
    }

    [Theory]
    [InlineData("AgentLogin", "the PBX login of the first person to transfer to")]
    [InlineData("TeamQueue", "the PBX login of the team queue")]
    public void TransferTargetBlank_NamesTheKeyAndWhatToSet(string property, string what)
    {
        using var host = Build(new(Transfer) { ["Transfer:" + property] = "  " });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<TransferOptions>>().Value);

        Assert.Contains($"Transfer:{property} (env Transfer__{property}) is required: {what}.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransferUnset_BothTargetsAndTheRingTimeReportedTogether()
    {
        using var host = Build(new() { ["Transfer:AgentLogin"] = "", ["Transfer:TeamQueue"] = "", ["Transfer:QueueRingSeconds"] = "301" });

        var e = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<TransferOptions>>().Value);

        Assert.Equal(3, e.Failures.Count());
        Assert.Contains("Transfer:QueueRingSeconds (env Transfer__QueueRingSeconds) is 301; it must be between 5 and 300.", e.Failures);
    }

    [Fact]
    public void Start_InvalidCallsLimit_Refused()
    {
        using var host = Build(new(Transfer) { ["Calls:MaxStepsPerCall"] = "0" });

        // What Host.StartAsync runs first for options registered with ValidateOnStart (this host has no prompt numbers either).
        var e = Assert.Throws<AggregateException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(e.InnerExceptions, inner => inner is OptionsValidationException
            && inner.Message.Contains("Calls:MaxStepsPerCall (env Calls__MaxStepsPerCall) is 0", StringComparison.Ordinal));
    }

    [Fact]
    public void CampaignStartStepMisspelt_StartRefusedNamingTheKey()
    {
        // Without the check, every known caller on the campaign number heard the welcome and then the apology.
        using var host = Build(new(Transfer)
        {
            ["Campaigns:Numbers:0:Id"] = "autumn", ["Campaigns:Numbers:0:DialledNumber"] = "221234567", ["Campaigns:Numbers:0:StartStep"] = "offer",
        });

        var e = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Campaigns:Numbers:0:StartStep (env Campaigns__Numbers__0__StartStep) is 'offer', which is no step of the call flow",
            e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CampaignWithoutANumber_StartRefused()
    {
        // A blank number matches every dialled number: every call would be greeted as the campaign's.
        using var host = Build(new(Transfer) { ["Campaigns:Numbers:0:Id"] = "autumn", ["Campaigns:Numbers:0:StartStep"] = "offers" });

        var e = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Campaigns:Numbers:0:DialledNumber (env Campaigns__Numbers__0__DialledNumber) is ''", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CampaignStartingAtAFlowStep_Valid()
    {
        using var host = Build(new(Transfer)
        {
            ["Campaigns:Numbers:0:Id"] = "autumn", ["Campaigns:Numbers:0:DialledNumber"] = "221234567", ["Campaigns:Numbers:0:StartStep"] = "offers",
        });

        Assert.NotNull(host.Services.GetRequiredService<CallFlow>().Find("offers"));
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddCallFlow();
        return builder.Build();
    }
}
