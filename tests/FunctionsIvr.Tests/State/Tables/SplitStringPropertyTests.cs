using System.Text;
using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

public sealed class SplitStringPropertyTests
{
    [Fact]
    public void Write_LongTextWithSurrogatePairs_SplitsIntoValidChunksThatJoinBack()
    {
        var text = "x" + string.Concat(Enumerable.Repeat("😀", 20_000));
        var entity = new TableEntity("p", "r");

        SplitStringProperty.Write(entity, "Body", text);

        Assert.Equal(["Body", "Body1"], entity.Keys);
        Assert.All(entity.Values, chunk => Assert.True(IsWellFormed((string)chunk!)));
        Assert.Equal(text, SplitStringProperty.Read(entity, "Body"));
    }

    [Fact]
    public void Write_EmptyText_ReadsBackEmpty()
    {
        var entity = new TableEntity("p", "r");

        SplitStringProperty.Write(entity, "Body", "");

        Assert.Equal("", SplitStringProperty.Read(entity, "Body"));
    }

    private static bool IsWellFormed(string text)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
