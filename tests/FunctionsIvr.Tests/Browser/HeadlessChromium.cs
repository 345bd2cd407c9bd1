using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace FunctionsIvr.Tests.Browser;

/// <summary>
/// Debian's Chromium, headless, with its DevTools port chosen by the browser (read back from DevToolsActivePort).
/// scripts/test.sh installs it; a missing browser fails the test with what to do, it never skips.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string PathVariable = "FUNCTIONSIVR_TEST_CHROMIUM";
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly int _port;

    private HeadlessChromium(Process process, string profile, int port)
    {
        _process = process;
        _profile = profile;
        _port = port;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } given ? given : DefaultPath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {path}. The browser tests need it: run scripts/test.sh (installs it with apt-get) or `apt-get install -y chromium`, or set {PathVariable}.");
        }

        var profile = Directory.CreateTempSubdirectory("functionsivr-chromium-").FullName;
        var start = new ProcessStartInfo(path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0", "--user-data-dir=" + profile,
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-dev-shm-usage", "--remote-allow-origins=*", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var portFile = Path.Combine(profile, "DevToolsActivePort");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) throw new InvalidOperationException($"Chromium exited with {process.ExitCode} before opening its DevTools port.");
            if (File.Exists(portFile) && File.ReadAllLines(portFile) is [var port, ..] && int.TryParse(port, out var number))
            {
                return new HeadlessChromium(process, profile, number);
            }

            await Task.Delay(100);
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("Chromium did not open its DevTools port within 60 s.");
    }

    /// <summary>Connects to the browser's first page (the about:blank it started with).</summary>
    public async Task<CdpPage> OpenPageAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var targets = await http.GetFromJsonAsync<JsonArray>(new Uri("/json/list", UriKind.Relative));
            var page = targets?.FirstOrDefault(t => t?["type"]?.GetValue<string>() == "page");
            if (page?["webSocketDebuggerUrl"]?.GetValue<string>() is { } url) return await CdpPage.ConnectAsync(new Uri(url));
            await Task.Delay(100);
        }

        throw new InvalidOperationException("Chromium has no page target.");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or slow to go: the profile is temporary either way.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
