using System.Text.RegularExpressions;
using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Tests.Simulator.Platform;

public partial class CallSettingsTests
{
    [Fact]
    public void DefaultMaxWait_IsThePanelsMaxWaitFromTheDeployGuide()
    {
        // A longer wait than the panel's lets an answer the platform would have given up on carry the call on.
        var guide = File.ReadAllText(RepositoryFiles.PathOf(Path.Combine("docs", "deploy.md")));
        var panel = PanelMaxWait().Match(guide);
        Assert.True(panel.Success, "docs/deploy.md has no 'Max wait for the app response | **N s**' row");

        Assert.Equal(TimeSpan.FromSeconds(int.Parse(panel.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture)),
            CallSettings.DefaultMaxWait);
    }

    [GeneratedRegex(@"\|\s*Max wait for the app response\s*\|\s*\*\*(?<seconds>\d+) s\*\*")]
    private static partial Regex PanelMaxWait();
}
