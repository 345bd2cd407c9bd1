namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// Publishes the app once, the way azd does (<c>dotnet publish -c Release</c>), into a temp folder.
/// Its own artifacts path keeps the Release/linux-x64 restore away from the working tree's obj folder,
/// so a publish never disturbs the Debug build the other tests run from.
/// </summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly string _workFolder =
        Path.Combine(Path.GetTempPath(), "functionsivr-publish-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The published Functions app root (what azd zips and deploys).</summary>
    public string Root => Path.Combine(_workFolder, "app");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_workFolder);
        var project = Path.Combine(RepoPaths.AppProject, "FunctionsIvr.csproj");
        var result = await CommandLine.RunAsync(
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            ["publish", project, "-c", "Release", "-o", Root,
             "--artifacts-path", Path.Combine(_workFolder, "artifacts"),
             "--disable-build-servers", "--nologo", "-v", "q"],
            PublishTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({result.ExitCode}):\n{result.Output}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_workFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail the run over it.
        }

        return Task.CompletedTask;
    }
}
