using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// Starts a published app's handler the way the Functions host does: the executable named by host.json's
/// <c>customHandler.description</c>, its working directory and arguments, the host's environment variables
/// (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> a free port), then polls <c>GET /</c> until something answers.
/// </summary>
public sealed class HandlerProcess : IAsyncDisposable
{
    /// <summary>The host gives a handler 30 s to answer its first ping (its initialization timeout, and Flex's app init timeout).</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HandlerProcess(Process process, int port)
    {
        _process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Talks to the handler on the port the host gave it, as the host does.</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the handler wrote to stdout and stderr so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static HandlerProcess Start(string appRoot, IReadOnlyDictionary<string, string> appSettings)
    {
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(appRoot, "host.json")))!["customHandler"]!["description"]!;
        var executable = Path.Combine(appRoot, (string)description["defaultExecutablePath"]!);
        var workingDirectory = Path.Combine(appRoot, (string?)description["workingDirectory"] ?? "");
        var port = FreeLoopbackPort();

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in description["arguments"]?.AsArray() ?? [])
        {
            start.ArgumentList.Add(Environment.ExpandEnvironmentVariables((string)argument!));
        }

        // Nothing but what the host sets decides where the handler listens or which environment it runs in.
        foreach (var name in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
        {
            start.Environment.Remove(name);
        }

        var workerId = Guid.NewGuid().ToString();
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_HTTPWORKER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = workerId;
        start.Environment["FUNCTIONS_HTTPWORKER_ID"] = workerId;
        start.Environment["FUNCTIONS_APP_ROOT_PATH"] = appRoot;
        foreach (var (name, value) in appSettings)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var handler = new HandlerProcess(process, port);
        process.OutputDataReceived += (_, e) => handler.Append(e.Data);
        process.ErrorDataReceived += (_, e) => handler.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handler;
    }

    /// <summary>Polls <c>GET /</c> like the host's readiness ping; returns the first answer, or null if none came in time.</summary>
    public async Task<HttpResponseMessage?> WaitForFirstAnswerAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (!deadline.IsCancellationRequested && !_process.HasExited)
        {
            try
            {
                return await Client.GetAsync(new Uri("/", UriKind.Relative), deadline.Token);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException)
            {
                break;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
