using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>
/// A private, in-memory <c>azurite-table</c> on a free loopback port, installed from npm into
/// <c>.tools/azurite</c> first if missing (as <c>scripts/test.sh</c> does), killed on dispose.
/// </summary>
public sealed class AzuriteTableProcess : IAsyncDisposable
{
    public const string AzuriteVersion = "3.37.0";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteTableProcess(Process process, StringBuilder output, Uri endpoint)
    {
        _process = process;
        _output = output;
        Endpoint = endpoint;
    }

    /// <summary><c>{scheme}://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri Endpoint { get; }

    public static async Task<AzuriteTableProcess> StartAsync(string scheme = "http", params string[] extraArguments)
    {
        var azuriteTable = await EnsureInstalledAsync();
        // The port is free when picked, but another test's server may bind it before Azurite does: Azurite then exits
        // with EADDRINUSE, and a connect probe could even reach that other server. Azurite's own "started" line is the
        // proof it listens; on a lost race it is started again on another port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            var output = new StringBuilder();
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var startedLine = $"successfully started on 127.0.0.1:{port}";
            var process = Process.Start(StartInfo(azuriteTable, port, extraArguments))
                          ?? throw new InvalidOperationException($"Could not start {azuriteTable}.");
            process.OutputDataReceived += (_, e) => OnOutput(e.Data);
            process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var started = new AzuriteTableProcess(process, output, new Uri($"{scheme}://127.0.0.1:{port}/{TableConnectionString.DevelopmentAccountName}"));
            try
            {
                await WaitUntilListeningAsync(process, listening.Task, port, () => Captured(output));
                return started;
            }
            catch (InvalidOperationException) when (attempt < 3 && Captured(output).Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                await started.DisposeAsync();
            }
            catch
            {
                await started.DisposeAsync();
                throw;
            }

            void OnOutput(string? line)
            {
                Capture(output, line);
                if (line is not null && line.Contains(startedLine, StringComparison.Ordinal)) listening.TrySetResult();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ProcessStartInfo StartInfo(string azuriteTable, int port, string[] extraArguments)
    {
        var start = new ProcessStartInfo(azuriteTable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
            "--tableHost", "127.0.0.1", "--tablePort", port.ToString(CultureInfo.InvariantCulture),
        }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task WaitUntilListeningAsync(Process process, Task listening, int port, Func<string> output)
    {
        var exited = process.WaitForExitAsync();
        var finished = await Task.WhenAny(listening, exited, Task.Delay(StartTimeout));
        if (finished == listening) return;
        if (finished == exited)
        {
            throw new InvalidOperationException($"azurite-table exited with code {process.ExitCode} before listening on port {port}: {output()}");
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s. {output()}");
    }

    /// <summary>Waits until something accepts connections on the port (an Azurite started by <c>scripts/test.sh</c>).</summary>
    public static async Task WaitForPortAsync(int port, Func<string> describe)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s. {describe()}");
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var root = RepositoryRoot();
        var azuriteTable = Path.Combine(root, ".tools", "azurite", "node_modules", ".bin", "azurite-table");
        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(azuriteTable)) await RunNpmInstallAsync(root);
        }
        finally
        {
            InstallGate.Release();
        }

        return File.Exists(azuriteTable)
            ? azuriteTable
            : throw new InvalidOperationException(
                $"Azurite is not available: {AzuriteFixture.EndpointVariable} is not set and {azuriteTable} is missing after npm install. " +
                $"Run scripts/test.sh, or `npm install --prefix .tools/azurite azurite@{AzuriteVersion}` (needs Node.js and npm).");
    }

    private static async Task RunNpmInstallAsync(string root)
    {
        var npm = new ProcessStartInfo("npm")
        {
            ArgumentList = { "install", "--silent", "--no-audit", "--no-fund", "--prefix", Path.Combine(root, ".tools", "azurite"), $"azurite@{AzuriteVersion}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        try
        {
            using var process = Process.Start(npm)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"npm install azurite@{AzuriteVersion} failed ({process.ExitCode}): {await error}{await output}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Azurite is not available: {AzuriteFixture.EndpointVariable} is not set and npm could not be run to install it ({e.Message}).", e);
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsIvr.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("Could not find the repository root (FunctionsIvr.sln) above " + AppContext.BaseDirectory);
    }

    private static void Capture(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Captured(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
