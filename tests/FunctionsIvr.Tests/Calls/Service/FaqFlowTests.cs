using FunctionsIvr.Calls.Service;
using FunctionsIvr.Erp;
using FunctionsIvr.Ivr;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace FunctionsIvr.Tests.Calls.Service;

public class FaqFlowTests
{
    private static readonly Dictionary<string, string?> TwoTopics = new()
    {
        ["Faq:Topics:0:Key"] = "1",
        ["Faq:Topics:0:Title"] = "Delivery times",
        ["Faq:Topics:0:Prompt"] = "faq_delivery_times",
        ["Faq:Topics:1:Key"] = "2",
        ["Faq:Topics:1:Title"] = "Payment terms",
        ["Faq:Topics:1:Prompt"] = "faq_payment_terms",
        ["Prompts:faq_delivery_times"] = "75",
        ["Prompts:faq_payment_terms"] = "76",
    };

    [Fact]
    public async Task Faq_FromMainMenu_AsksTheFaqMenu()
    {
        using var call = new EngineHarness(TwoTopics);
        await call.AtMenuAsync();

        var menu = await call.PressAsync("8");

        Assert.Equal("GetDTMF 74", Listening.Heard(menu.Action));
        Assert.Equal("1", menu.Action["MaxDigits"]);
    }

    [Fact]
    public async Task FaqKey_PlaysThatTopicThenTheFaqMenuAgain()
    {
        using var call = await AtFaqMenu(TwoTopics);

        var answer = await call.PressAsync("2");
        var menu = await call.SendAsync("Play");

        Assert.Equal("Play 76", Listening.Heard(answer.Action));
        Assert.Equal("GetDTMF 74", Listening.Heard(menu.Action));
    }

    [Fact]
    public async Task FaqKey_NotATopic_AsksAgainWithRetryPrompt()
    {
        using var call = await AtFaqMenu(TwoTopics);

        var again = await call.PressAsync("5");

        Assert.Equal("GetDTMF 3", Listening.Heard(again.Action));
    }

    [Fact]
    public async Task FaqNine_KnownCaller_MainMenu()
    {
        using var call = await AtFaqMenu(TwoTopics);

        var menu = await call.PressAsync("9");

        Assert.Equal("GetDTMF 2", Listening.Heard(menu.Action));
    }

    [Fact]
    public async Task FaqNine_Guest_GuestMenu()
    {
        using var call = new EngineHarness(TwoTopics);
        call.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync((Contact?)null);
        await call.AtMenuAsync();
        await call.PressAsync("8");

        var answer = await call.PressAsync("1");
        await call.SendAsync("Play");
        var menu = await call.PressAsync("9");

        Assert.Equal("Play 75", Listening.Heard(answer.Action));
        Assert.Equal("GetDTMF 13", Listening.Heard(menu.Action));
    }

    [Fact]
    public async Task FaqSilence_ThreeTimes_BackToMainMenu()
    {
        using var call = await AtFaqMenu(TwoTopics);
        await call.PressAsync("");
        await call.PressAsync("");

        var menu = await call.PressAsync("");

        Assert.Equal("GetDTMF 2", Listening.Heard(menu.Action));
    }

    [Fact]
    public async Task FaqReload_TopicPromptChanged_NextChoicePlaysTheNewPrompt()
    {
        using var call = await AtFaqMenu(TwoTopics);
        var before = await call.PressAsync("1");
        await call.SendAsync("Play");

        Reload(call, ("Faq:Topics:0:Prompt", "faq_delivery_winter"), ("Prompts:faq_delivery_winter", "90"));
        var after = await call.PressAsync("1");

        Assert.Equal("Play 75", Listening.Heard(before.Action));
        Assert.Equal("Play 90", Listening.Heard(after.Action));
    }

    [Fact]
    public async Task FaqReload_TopicAdded_OfferedOnTheNextCall()
    {
        using var call = await AtFaqMenu(TwoTopics);

        Reload(call, ("Faq:Topics:2:Key", "3"), ("Faq:Topics:2:Title", "Returns"), ("Faq:Topics:2:Prompt", "faq_returns"), ("Prompts:faq_returns", "77"));
        var answer = await call.PressAsync("3");

        Assert.Equal("Play 77", Listening.Heard(answer.Action));
    }

    [Fact]
    public async Task FaqReload_TopicWithUnmappedPrompt_LeftOutOthersStillPlay()
    {
        using var call = await AtFaqMenu(TwoTopics);

        Reload(call, ("Faq:Topics:2:Key", "3"), ("Faq:Topics:2:Prompt", "faq_not_recorded_yet"));
        var unmapped = await call.PressAsync("3");
        var mapped = await call.PressAsync("1");

        Assert.Equal("GetDTMF 3", Listening.Heard(unmapped.Action));
        Assert.Equal("Play 75", Listening.Heard(mapped.Action));
    }

    [Fact]
    public void Startup_TopicPromptNotMapped_FailsNamingTheSetting()
    {
        var e = Assert.Throws<OptionsValidationException>(() => new EngineHarness(new(TwoTopics) { ["Prompts:faq_payment_terms"] = null }));

        Assert.Contains("Prompts:faq_payment_terms", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FaqMenu_BadKeysAndDuplicates_LeftOutWithReasons()
    {
        var options = new FaqOptions
        {
            Topics =
            [
                new() { Key = "1", Title = "a", Prompt = "p1" },
                new() { Key = "1", Title = "b", Prompt = "p1" },
                new() { Key = "9", Title = "c", Prompt = "p1" },
                new() { Key = "12", Title = "d", Prompt = "p1" },
                new() { Key = "2", Title = "e", Prompt = "" },
            ],
        };

        var menu = FaqMenu.Build(options, _ => "70");

        Assert.Equal("1", Assert.Single(menu.Topics).Key);
        Assert.Equal(4, menu.Skipped.Count);
    }

    private static async Task<EngineHarness> AtFaqMenu(Dictionary<string, string?> settings)
    {
        var call = new EngineHarness(settings);
        await call.AtMenuAsync();
        await call.PressAsync("8");
        return call;
    }

    /// <summary>Changes the test's settings and reloads configuration, as an edited faq.json does.</summary>
    private static void Reload(EngineHarness call, params (string Key, string Value)[] changes)
    {
        var root = (IConfigurationRoot)call.Services.GetRequiredService<IConfiguration>();
        var settings = root.Providers.OfType<MemoryConfigurationProvider>().Last();
        foreach (var (key, value) in changes) settings.Set(key, value);
        root.Reload();
    }
}
