namespace FunctionsIvr.Tests.Packaging;

/// <summary>Locates the repository the tests run from, so packaging tests read the real files.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string AppProject => Path.Combine(Root, "src", "FunctionsIvr");

    public static string FunctionsFolder => Path.Combine(AppProject, "Functions");

    public static string HostJson => Path.Combine(Root, "host.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FunctionsIvr.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"FunctionsIvr.sln not found above {AppContext.BaseDirectory}");
    }
}
