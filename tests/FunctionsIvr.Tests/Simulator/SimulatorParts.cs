using FunctionsIvr.Simulator.Platform;
using Spectre.Console;

namespace FunctionsIvr.Tests.Simulator;

/// <summary>Builds the simulator's pieces the way the CLI does, pointed at a fake webhook.</summary>
internal static class SimulatorParts
{
    /// <summary>Generous, so a loaded 2-core machine never turns a correct answer into an overrun.</summary>
    public static readonly TimeSpan RelaxedBudget = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = PlatformClient.CreateHttpClient();

    public static PlatformClient Client() => new(Http, TimeProvider.System);

    public static CallSettings Settings(FakeWebhook webhook, CallbackEncoding encoding = CallbackEncoding.Json, string? hash = null) => new()
    {
        Url = webhook.Url,
        Encoding = encoding,
        Hash = hash,
        Budget = RelaxedBudget,
        MaxWait = TimeSpan.FromSeconds(60),
    };

    public static CallDriver Driver(FakeWebhook webhook, CallbackEncoding encoding = CallbackEncoding.Json, string? hash = null) =>
        new(Client(), new ResponseValidator(), Settings(webhook, encoding, hash), CallDriver.NewCallId());

    /// <summary>A console that writes plain text, wide enough that lines are never wrapped.</summary>
    public static IAnsiConsole Console(StringWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 300;
        return console;
    }
}
