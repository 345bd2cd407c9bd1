using FunctionsIvr.Work.ServiceBus;

namespace FunctionsIvr.Tests.Work.ServiceBus;

public sealed class ServiceBusConnectionStringPropertiesTests
{
    [Fact]
    public void Parse_KeyConnectionString_ReadsEveryPart()
    {
        var parsed = ServiceBusConnectionStringProperties.Parse(
            "Endpoint=sb://ivr.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc+/=;EntityPath=order-commits");

        Assert.Equal("ivr.servicebus.windows.net", parsed.FullyQualifiedNamespace);
        Assert.Equal("send", parsed.SharedAccessKeyName);
        Assert.Equal("abc+/=", parsed.SharedAccessKey);
        Assert.Equal("order-commits", parsed.EntityPath);
    }

    [Fact]
    public void Parse_SharedAccessSignature_IsKept()
    {
        var parsed = ServiceBusConnectionStringProperties.Parse(
            "Endpoint=sb://ivr.servicebus.windows.net/;SharedAccessSignature=SharedAccessSignature sr=x&sig=y&se=1&skn=z");

        Assert.Equal("SharedAccessSignature sr=x&sig=y&se=1&skn=z", parsed.SharedAccessSignature);
    }

    [Theory]
    [InlineData("SharedAccessKeyName=a;SharedAccessKey=b")]
    [InlineData("Endpoint=sb://ns/;SharedAccessKeyName=a")]
    [InlineData("Endpoint=sb://ns/;SharedAccessKeyName=a;SharedAccessKey=b;SharedAccessSignature=c")]
    [InlineData("Endpoint=sb://ns/;Endpoint=sb://other/;SharedAccessKeyName=a;SharedAccessKey=b")]
    [InlineData("Endpoint=sb://localhost;SharedAccessKeyName=a;SharedAccessKey=b;UseDevelopmentEmulator=true")]
    public void Parse_Invalid_IsRejected(string connectionString) =>
        Assert.Throws<FormatException>(() => ServiceBusConnectionStringProperties.Parse(connectionString));

    [Fact]
    public void Parse_Invalid_NeverEchoesTheKey()
    {
        var error = Assert.Throws<FormatException>(() => ServiceBusConnectionStringProperties.Parse("SharedAccessKeyName=a;SharedAccessKey=s3cret"));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
