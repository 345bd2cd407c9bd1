using FunctionsIvr.Calls.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Calls.Service;

public sealed class FaqHostBuilderExtensionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("faq-").FullName;

    private string FaqPath => Path.Combine(_folder, "faq.json");

    [Fact]
    public async Task FaqFileEdited_NextChoicePlaysTheNewPrompt()
    {
        await File.WriteAllTextAsync(FaqPath, Faq("faq_delivery_times", "75"));
        using var call = new EngineHarness(configure: b => b.AddFaq(FaqPath));
        await call.AtMenuAsync();
        await call.PressAsync("8");
        var before = await call.PressAsync("1");
        await call.SendAsync("Play");

        var changed = Changed(call);
        await ReplaceAsync(FaqPath, Faq("faq_delivery_winter", "91"));
        await changed.WaitAsync(TimeSpan.FromSeconds(30));
        var after = await call.PressAsync("1");

        Assert.Equal("Play 75", Listening.Heard(before.Action));
        Assert.Equal("Play 91", Listening.Heard(after.Action));
    }

    [Fact]
    public void AddFaq_EnvironmentStyleSourceAddedLater_StillOverridesTheFile()
    {
        File.WriteAllText(FaqPath, Faq("faq_delivery_times", "75"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Faq:Topics:0:Prompt"] = "from_environment" });

        builder.AddFaq(FaqPath);

        Assert.Equal("from_environment", builder.Configuration["Faq:Topics:0:Prompt"]);
        Assert.Equal("75", builder.Configuration["Prompts:faq_delivery_times"]);
    }

    [Fact]
    public void AddFaq_NoFile_NoTopics()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });

        builder.AddFaq();

        Assert.Empty(builder.Configuration.GetSection("Faq:Topics").GetChildren());
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Writes next to the file and renames over it, so the watcher never reads a half-written file.</summary>
    private static async Task ReplaceAsync(string path, string content)
    {
        var next = path + ".next";
        await File.WriteAllTextAsync(next, content);
        File.Move(next, path, overwrite: true);
    }

    private static Task Changed(EngineHarness call)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var monitor = call.Services.GetRequiredService<IOptionsMonitor<FaqOptions>>();
        _ = monitor.CurrentValue;
        monitor.OnChange(_ => changed.TrySetResult());
        return changed.Task;
    }

    private static string Faq(string prompt, string number) => $$"""
        {
          "Faq": { "Topics": [ { "Key": "1", "Title": "Delivery times", "Prompt": "{{prompt}}" } ] },
          "Prompts": { "{{prompt}}": "{{number}}" }
        }
        """;
}
