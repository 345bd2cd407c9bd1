using FunctionsIvr.Simulator.Prompts;

namespace FunctionsIvr.Tests.Simulator.Prompts;

public sealed class PromptMapTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("prompts-");

    [Fact]
    public void Load_AppSettingsWithCommentsAndNumbers_ReadsThePromptsSection()
    {
        var path = Write("appsettings.json", """
            {
              // the panel's prompt list
              "Logging": { "LogLevel": { "Default": "Information" } },
              "prompts": { "welcome": "1", "main_menu": 2, "menu_retry": " 3 ", },
            }
            """);

        var map = PromptMap.Load(path);

        Assert.Equal(3, map.Count);
        Assert.Equal("2", map.NumberOf("MAIN_MENU"));
        Assert.Equal("menu_retry", map.NameOf("3"));
        Assert.Equal("1 (welcome)", map.Describe("1"));
        Assert.Equal("42", map.Describe("42"));
        Assert.Equal(path, map.Source);
    }

    [Fact]
    public void Load_NoPromptsSection_IsEmpty()
    {
        Assert.Equal(0, PromptMap.Load(Write("a.json", """{"Ivr":{}}""")).Count);
    }

    [Fact]
    public void Load_NotJson_SaysWhichFile()
    {
        var path = Write("a.json", "Prompts: welcome=1");

        var error = Assert.Throws<InvalidDataException>(() => PromptMap.Load(path));

        Assert.StartsWith(path + " is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NameOf_NumberSharedByTwoNames_ShowsBoth()
    {
        var map = new PromptMap([new("sorry", "9"), new("apology", "9")]);

        Assert.Equal("apology/sorry", map.NameOf("9"));
    }

    [Fact]
    public void FindDefaultFile_FromInsideTheRepository_FindsTheAppSettings()
    {
        Write("FunctionsIvr.sln", "");
        var settings = Write(PromptMap.DefaultRelativePath, """{"Prompts":{}}""");
        var nested = Directory.CreateDirectory(Path.Combine(folder.FullName, "scenarios", "foundation"));

        Assert.Equal(settings, PromptMap.FindDefaultFile(nested.FullName));
    }

    [Fact]
    public void FindDefaultFile_RepositoryWithoutAppSettings_FindsNothing()
    {
        Write("FunctionsIvr.sln", "");

        Assert.Null(PromptMap.FindDefaultFile(folder.FullName));
    }

    public void Dispose() => folder.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(folder.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
