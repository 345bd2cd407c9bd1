using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using FunctionsIvr.Work.InProcess;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Work;

/// <summary>A started host with the in-process queue, its dispatcher, the given processors, a manual clock and captured logs.</summary>
public sealed class InProcessWorkQueueHarness : IAsyncDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly IHost host;

    private InProcessWorkQueueHarness(IHost host, ManualTimeProvider clock, CapturingLoggerProvider logs)
    {
        this.host = host;
        Clock = clock;
        Logs = logs;
        Queue = host.Services.GetRequiredService<InProcessWorkQueue>();
    }

    public ManualTimeProvider Clock { get; }
    public CapturingLoggerProvider Logs { get; }
    public InProcessWorkQueue Queue { get; }
    public IWorkQueue WorkQueue => host.Services.GetRequiredService<IWorkQueue>();
    public IServiceProvider Services => host.Services;

    public static Task<InProcessWorkQueueHarness> StartAsync(params RecordingProcessor[] processors) => StartAsync(null, processors);

    public static async Task<InProcessWorkQueueHarness> StartAsync(
        Action<InProcessWorkQueueOptions>? configure, IEnumerable<RecordingProcessor> processors, Action<IServiceCollection>? services = null)
    {
        var host = Build(configure, processors, services, out var clock, out var logs);
        await host.StartAsync();
        return new InProcessWorkQueueHarness(host, clock, logs);
    }

    /// <summary>Started with <paramref name="settings"/> as the configuration (keys such as <c>WorkQueue:RetryBaseDelay</c>).</summary>
    public static async Task<InProcessWorkQueueHarness> StartWithSettingsAsync(
        IReadOnlyDictionary<string, string?> settings, IEnumerable<RecordingProcessor> processors)
    {
        var host = Build(null, processors, null, out var clock, out var logs, settings);
        await host.StartAsync();
        return new InProcessWorkQueueHarness(host, clock, logs);
    }

    public static IHost Build(
        Action<InProcessWorkQueueOptions>? configure, IEnumerable<RecordingProcessor> processors, Action<IServiceCollection>? services,
        out ManualTimeProvider clock, out CapturingLoggerProvider logs, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        clock = new ManualTimeProvider();
        logs = new CapturingLoggerProvider();
        var captured = logs;
        builder.Services.AddLogging(logging => logging.AddProvider(captured).SetMinimumLevel(LogLevel.Debug));
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddInProcessWorkQueue();
        if (configure is not null) builder.Services.Configure(configure);
        foreach (var processor in processors) builder.Services.AddRecordingProcessor(processor);
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public Task SendAsync(WorkMessage message) => Queue.SendAsync(message);

    public Task IdleAsync() => Queue.WaitForIdleAsync(IdleTimeout);

    /// <summary>Moves the clock and waits until everything that fell due has been processed.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        await IdleAsync();
    }

    public static WorkMessage Message(string queueName, string? messageId = null, string body = "{\"orderId\":42}") => new()
    {
        QueueName = queueName,
        MessageId = messageId ?? "msg-" + Guid.NewGuid().ToString("N"),
        Subject = "CommitOrder",
        Body = body,
    };

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(stop.Token);
        host.Dispose();
    }
}
