using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

public class TableKeysTests
{
    [Theory]
    [InlineData("example-uid-0001")]
    [InlineData("1733571234.5678")]
    [InlineData("it's ~ Zoë 電話")]
    public void ForId_OrdinaryId_StaysAsItIs(string id)
    {
        // Rows written before ids were escaped are still found.
        Assert.Equal(id, TableKeys.ForId(id));
    }

    [Theory]
    [InlineData("node-1/42", "node-1%2F42")]
    [InlineData("50%", "50%25")]
    [InlineData("a\\b#c?d", "a%5Cb%23c%3Fd")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("c1\u0085", "c1%C2%85")]
    public void ForId_CharactersKeysForbid_AreEscaped(string id, string key)
    {
        Assert.Equal(key, TableKeys.ForId(id));
        TableKeys.Validate(key, "key");
    }

    [Fact]
    public void ForId_IdTooLongForAKey_KeepsItsStartAndStaysWithinTheLimit()
    {
        var id = "callrecord-" + new string('/', 2000);

        var key = TableKeys.ForId(id);

        Assert.True(key.Length <= 512, $"{key.Length} characters");
        Assert.StartsWith("callrecord-%2F%2F", key, StringComparison.Ordinal);
        Assert.Matches("^(callrecord-(%2F)+)%~[0-9A-F]{64}$", key);
        TableKeys.Validate(key, "key");
    }

    [Fact]
    public void ForId_DifferentIds_NeverShareAKey()
    {
        var random = new Random(20261207);
        const string alphabet = "ab%/\\#?~2F\t\u0085";
        var ids = new HashSet<string>(StringComparer.Ordinal) { "a/b", "a%2Fb", "a%252Fb", new string('/', 600), new string('/', 601), new string('/', 600) + "a" };
        while (ids.Count < 5000)
        {
            var length = random.Next(1, random.Next(2) == 0 ? 12 : 700);
            ids.Add(string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])));
        }

        var keys = ids.Select(TableKeys.ForId).ToList();

        Assert.Equal(ids.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(keys, key => TableKeys.Validate(key, "key"));
    }
}
