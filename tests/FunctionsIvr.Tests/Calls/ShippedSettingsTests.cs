using FunctionsIvr.Calls;
using FunctionsIvr.Calls.Service;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Calls;

/// <summary>The appsettings.json and faq.json that ship with the app, as a deployment reads them.</summary>
public class ShippedSettingsTests
{
    [Fact]
    public void ShippedSettings_EveryPromptAFlowPlaysHasAPanelNumber()
    {
        using var host = ShippedHost();

        var prompts = host.Services.GetRequiredService<IOptions<PromptOptions>>().Value;

        Assert.Contains("faq_menu", prompts.Numbers.Keys);
    }

    [Fact]
    public void ShippedFaq_FourTopicsAllPlayable()
    {
        using var host = ShippedHost();

        var faq = host.Services.GetRequiredService<IOptionsMonitor<FaqOptions>>().CurrentValue;
        var numbers = host.Services.GetRequiredService<IOptions<PromptOptions>>().Value.Numbers;

        Assert.Equal(["1", "2", "3", "4"], faq.Topics.Select(t => t.Key));
        Assert.All(faq.Topics, t => Assert.True(numbers.ContainsKey(t.Prompt), t.Prompt));
    }

    private static IHost ShippedHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.AddFaq();
        builder.AddCallFlow();
        return builder.Build();
    }
}
