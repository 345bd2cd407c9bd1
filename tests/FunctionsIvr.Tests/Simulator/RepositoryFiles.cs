namespace FunctionsIvr.Tests.Simulator;

/// <summary>Files the repository ships (scenarios, docs), found from the test binaries by walking up to the solution.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FunctionsIvr.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("FunctionsIvr.sln not found above " + AppContext.BaseDirectory);
    }
}
