using FunctionsIvr.State.Tables;

namespace FunctionsIvr.Tests.State.Tables;

public sealed class TableConnectionStringTests
{
    private const string Key = "a2V5LWJ5dGVzLWZvci10ZXN0cw==";

    [Fact]
    public void Parse_UseDevelopmentStorage_PointsAtTheEmulatorsWellKnownAccount()
    {
        var parsed = TableConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.SharedKeyCredential!.AccountName);
        Assert.Null(parsed.SasCredential);
    }

    [Fact]
    public void Parse_DevelopmentStorageProxyUri_SwapsSchemeAndHostButKeepsTablePort()
    {
        var parsed = TableConnectionString.Parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=https://azurite.local");

        Assert.Equal(new Uri("https://azurite.local:10002/devstoreaccount1"), parsed.TableEndpoint);
    }

    [Theory]
    [InlineData("UseDevelopmentStorage=True")]
    [InlineData("UseDevelopmentStorage=false")]
    public void Parse_UseDevelopmentStorageNotExactlyTrue_IsRejected(string connectionString) =>
        Assert.Throws<FormatException>(() => TableConnectionString.Parse(connectionString));

    [Fact]
    public void Parse_AccountNameAndKey_DefaultsToHttpsCoreWindowsNet()
    {
        var parsed = TableConnectionString.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
        Assert.Equal("acct", parsed.SharedKeyCredential!.AccountName);
    }

    [Fact]
    public void Parse_ProtocolAndEndpointSuffix_BuildTheEndpoint()
    {
        var parsed = TableConnectionString.Parse($"DefaultEndpointsProtocol=http;AccountName=acct;AccountKey={Key};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("http://acct.table.core.chinacloudapi.cn"), parsed.TableEndpoint);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_WinsOverSuffix()
    {
        var parsed = TableConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:40000/devstoreaccount1;");

        Assert.Equal(new Uri("http://127.0.0.1:40000/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.SharedKeyCredential!.AccountName);
    }

    [Fact]
    public void Parse_TableEndpointWithoutAccountName_TakesAccountFromEndpoint()
    {
        Assert.Equal("acct", TableConnectionString.Parse($"AccountKey={Key};TableEndpoint=https://acct.table.core.windows.net").SharedKeyCredential!.AccountName);
        Assert.Equal("devstoreaccount1", TableConnectionString.Parse($"AccountKey={Key};TableEndpoint=http://127.0.0.1:1/devstoreaccount1").SharedKeyCredential!.AccountName);
    }

    [Fact]
    public void Parse_TableEndpointAndSharedAccessSignature_UsesTheSignature()
    {
        var parsed = TableConnectionString.Parse("TableEndpoint=https://acct.table.core.windows.net/;SharedAccessSignature=sv=2019-07-07&sig=abc%3D");

        Assert.Equal("sv=2019-07-07&sig=abc%3D", parsed.SasCredential!.Signature);
        Assert.Null(parsed.SharedKeyCredential);
    }

    [Theory]
    [InlineData("AccountName=acct")]
    [InlineData("AccountKey=" + Key)]
    [InlineData("AccountName=acct;AccountName=other;AccountKey=" + Key)]
    [InlineData("AccountName=acct;AccountKey=" + Key + ";TableEndpoint=not a uri")]
    [InlineData("AccountName=acct;AccountKey")]
    [InlineData("SharedAccessSignature=sv=1")]
    public void Parse_Incomplete_IsRejected(string connectionString) =>
        Assert.Throws<FormatException>(() => TableConnectionString.Parse(connectionString));

    [Fact]
    public void Parse_KeyNotBase64_FailsWithoutEchoingTheKey()
    {
        var error = Assert.Throws<ArgumentException>(() => TableConnectionString.Parse("AccountName=acct;AccountKey=s3cret-not-base64!"));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
