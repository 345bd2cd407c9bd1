using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

/// <summary>
/// The Azurite Table endpoint for tests: the one <c>scripts/test.sh</c> started (it exports
/// <c>FUNCTIONSIVR_TEST_AZURITE_TABLE_ENDPOINT</c>), or, when run from an IDE or a bare <c>dotnet test</c>, a
/// private in-memory <c>azurite-table</c> started here on a free loopback port (installed from npm into
/// <c>.tools/azurite</c> first if missing) and stopped on dispose.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EndpointVariable = "FUNCTIONSIVR_TEST_AZURITE_TABLE_ENDPOINT";
    private const string AzuriteVersion = "3.37.0";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly System.Text.StringBuilder _azuriteOutput = new();
    private Process? _azurite;
    private Uri? _endpoint;

    /// <summary>e.g. <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri Endpoint => _endpoint ?? throw new InvalidOperationException("Azurite is not started.");

    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=" + TableConnectionString.DevelopmentAccountName
        + ";AccountKey=" + TableConnectionString.DevelopmentAccountKey + ";TableEndpoint=" + Endpoint.AbsoluteUri.TrimEnd('/');

    public TableServiceClient CreateServiceClient(TableClientOptions? options = null) => new(ConnectionString, options ?? FastRetryOptions());

    /// <summary>Table names are per account; a unique one per test class keeps classes apart in one Azurite.</summary>
    public static string UniqueTableName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..10];

    public static TableClientOptions FastRetryOptions()
    {
        var options = new TableClientOptions();
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
        return options;
    }

    public async Task InitializeAsync()
    {
        var fromScript = Environment.GetEnvironmentVariable(EndpointVariable);
        if (!string.IsNullOrWhiteSpace(fromScript))
        {
            _endpoint = new Uri(fromScript);
            await WaitForPortAsync(_endpoint.Port, process: null, () => "");
            return;
        }

        var root = RepositoryRoot();
        var azuriteTable = Path.Combine(root, ".tools", "azurite", "node_modules", ".bin", "azurite-table");
        if (!File.Exists(azuriteTable))
        {
            await RunNpmInstallAsync(root);
        }

        if (!File.Exists(azuriteTable))
        {
            throw new InvalidOperationException(
                $"Azurite is not available: {EndpointVariable} is not set and {azuriteTable} is missing after npm install. " +
                $"Run scripts/test.sh, or `npm install --prefix .tools/azurite azurite@{AzuriteVersion}` (needs Node.js and npm).");
        }

        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo(azuriteTable)
        {
            ArgumentList =
            {
                "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--disableTelemetry",
                "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _azurite = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {azuriteTable}.");
        _azurite.OutputDataReceived += (_, e) => Capture(e.Data);
        _azurite.ErrorDataReceived += (_, e) => Capture(e.Data);
        _azurite.BeginOutputReadLine();
        _azurite.BeginErrorReadLine();
        await WaitForPortAsync(port, _azurite, () => Captured());
        _endpoint = new Uri($"http://127.0.0.1:{port}/{TableConnectionString.DevelopmentAccountName}");
    }

    public Task DisposeAsync()
    {
        if (_azurite is { HasExited: false })
        {
            _azurite.Kill(entireProcessTree: true);
            _azurite.WaitForExit(10_000);
        }

        _azurite?.Dispose();
        return Task.CompletedTask;
    }

    private void Capture(string? line)
    {
        if (line is null) return;
        lock (_azuriteOutput) _azuriteOutput.AppendLine(line);
    }

    private string Captured()
    {
        lock (_azuriteOutput) return _azuriteOutput.ToString();
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
                $"Azurite is not available: {EndpointVariable} is not set and npm could not be run to install it ({e.Message}).", e);
        }
    }

    private static async Task WaitForPortAsync(int port, Process? process, Func<string> output)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process is { HasExited: true })
            {
                process.WaitForExit();
                throw new InvalidOperationException(
                    $"azurite-table exited with code {process.ExitCode} before listening on port {port}: {output()}");
            }

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

        throw new InvalidOperationException(
            $"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s. {output()}");
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
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
