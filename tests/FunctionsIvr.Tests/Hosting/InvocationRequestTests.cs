using System.Text;
using System.Text.Json;
using FunctionsIvr.Hosting;

namespace FunctionsIvr.Tests.Hosting;

public sealed class InvocationRequestTests
{
    private static InvocationRequest Parse(string json) => InvocationRequest.Parse(json);

    [Fact]
    public void ToReceivedWork_DoubleEncodedBodyAndQuotedMetadata_DecodesToTheMessageSent()
    {
        var work = Parse(CapturedPayloads.ServiceBusDoubleEncoded).ToReceivedWork("order-commits", "msg");

        Assert.Equal("{\"orderId\":42}", work.Message.Body);
        Assert.Equal("088fb2b9a1c34e0f9d6f1c2b3a4d5e6f", work.Message.MessageId);
        Assert.Equal("CommitOrder", work.Message.Subject);
        Assert.Equal("application/json", work.Message.ContentType);
        Assert.Equal("call-7731", work.Message.CorrelationId);
        Assert.Equal("order-commits", work.Message.QueueName);
        Assert.Equal(1, work.DeliveryCount);
        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 13, 49, TimeSpan.Zero), work.EnqueuedTime);
        Assert.Null(work.DeadLetterReason);
    }

    [Fact]
    public void ToReceivedWork_ApplicationProperties_ComeAsTextWithoutTheHostsOwnObjects()
    {
        var work = Parse(CapturedPayloads.ServiceBusDoubleEncoded).ToReceivedWork("order-commits", "msg");

        Assert.Equal(
            new Dictionary<string, string> { ["tenant"] = "a", ["attempt"] = "2", ["urgent"] = "true" }.OrderBy(kv => kv.Key),
            work.Message.ApplicationProperties.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void ToReceivedWork_SingleEncodedBody_KeptAsIs()
    {
        var work = Parse(CapturedPayloads.ServiceBusSingleEncoded).ToReceivedWork("order-commits", "msg");

        Assert.Equal("{\"message\":\"hello\"}", work.Message.Body);
        Assert.Equal("m-1", work.Message.MessageId);
        Assert.Equal(3, work.DeliveryCount);
        Assert.Empty(work.Message.ApplicationProperties);
    }

    [Fact]
    public void ToReceivedWork_OlderHostWithEverythingQuoted_ReadsCountDateLabelAndUserProperties()
    {
        var work = Parse(CapturedPayloads.ServiceBusOlderHostQuoted).ToReceivedWork("escalations", "msg");

        Assert.Equal("plain text body", work.Message.Body);
        Assert.Equal(2, work.DeliveryCount);
        Assert.Equal(new DateTimeOffset(2020, 5, 1, 10, 0, 0, TimeSpan.Zero), work.EnqueuedTime);
        Assert.Equal("SendEscalation", work.Message.Subject);
        Assert.Equal("email", work.Message.ApplicationProperties["channel"]);
    }

    [Fact]
    public void ToReceivedWork_FromADeadLetterQueue_CarriesTheDeadLetterReason()
    {
        var work = Parse(CapturedPayloads.ServiceBusDeadLettered).ToReceivedWork("order-commits/$DeadLetterQueue", "msg");

        Assert.Equal("MaxDeliveryCountExceeded", work.DeadLetterReason);
        Assert.Equal("{\"transactionId\":\"tx-9\"}", work.Message.Body);
        Assert.Equal("tx-9", work.Message.MessageId);
    }

    [Fact]
    public void ToReceivedWork_BinaryBinding_DecodesBase64()
    {
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"orderId\":\"ÅÖ-7\"}"));
        var json = $$"""{ "Data": { "msg": "{{base64}}" }, "Metadata": { "MessageId": "\"b-1\"" } }""";

        var work = Parse(json).ToReceivedWork("order-commits", "msg", BindingDataType.Binary);

        Assert.Equal("{\"orderId\":\"ÅÖ-7\"}", work.Message.Body);
    }

    [Fact]
    public void ToReceivedWork_BinaryBindingWithTextThatIsNotBase64_IsAPayloadError()
    {
        var request = Parse("""{ "Data": { "msg": "{not base64}" }, "Metadata": {} }""");

        Assert.Throws<InvalidInvocationPayloadException>(() => request.ToReceivedWork("q", "msg", BindingDataType.Binary));
    }

    [Fact]
    public void ToReceivedWork_BodyAsObjectOrArray_UsesItsRawJson()
    {
        Assert.Equal("{\"orderId\":42}", Parse("""{ "Data": { "msg": {"orderId":42} } }""").GetBodyText("msg"));
        Assert.Equal("[1,2]", Parse("""{ "Data": { "msg": [1,2] } }""").GetBodyText("msg"));
    }

    [Fact]
    public void ToReceivedWork_NoMetadataAtAll_UsesNeutralValues()
    {
        var work = Parse("""{ "Data": { "msg": "{\"a\":1}" } }""").ToReceivedWork("order-commits", "msg");

        Assert.Equal("{\"a\":1}", work.Message.Body);
        Assert.Equal("", work.Message.MessageId);
        Assert.Equal("", work.Message.Subject);
        Assert.Equal("application/json", work.Message.ContentType);
        Assert.Null(work.Message.CorrelationId);
        Assert.Equal(1, work.DeliveryCount);
        Assert.Equal(default, work.EnqueuedTime);
        Assert.Empty(work.Message.ApplicationProperties);
    }

    [Fact]
    public void ToReceivedWork_NoEnqueuedTime_FallsBackToTheHostsClock()
    {
        var work = Parse("""{ "Data": { "msg": "x" }, "Metadata": { "sys": { "UtcNow": "2023-10-12T20:13:50Z" } } }""")
            .ToReceivedWork("q", "msg");

        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 13, 50, TimeSpan.Zero), work.EnqueuedTime);
    }

    [Fact]
    public void ToReceivedWork_BodyHasAPropertyNamedLikeMetadata_SystemValueUsed()
    {
        // The extension promotes the body's top-level properties into Metadata; its own keys are written last.
        var work = Parse("""{ "Data": { "msg": "{\"DeliveryCount\":99}" }, "Metadata": { "DeliveryCount": "2", "MessageId": "\"m\"" } }""")
            .ToReceivedWork("q", "msg");

        Assert.Equal(2, work.DeliveryCount);
    }

    [Fact]
    public void Data_KeysDifferingInCase_StillFound()
    {
        var request = Parse("""{ "data": { "MSG": "\"hi\"" }, "metadata": { "messageid": "\"m\"" } }""");

        Assert.Equal("hi", request.GetBodyText("msg"));
        Assert.Equal("m", request.GetMetadataString("MessageId"));
    }

    [Theory]
    [InlineData("\"\\\"abc\\\"\"", "abc")]
    [InlineData("\"abc\"", "abc")]
    [InlineData("\"1\"", "1")]
    [InlineData("1", "1")]
    [InlineData("true", "true")]
    [InlineData("null", null)]
    [InlineData("{}", null)]
    public void GetMetadataString_EncodedScalars_Unwrapped(string valueJson, string? expected)
    {
        var request = Parse($$"""{ "Data": {}, "Metadata": { "Key": {{valueJson}} } }""");

        Assert.Equal(expected, request.GetMetadataString("Key"));
    }

    [Theory]
    [InlineData("\"2023-10-12T20:13:49\"")]
    [InlineData("\"2023-10-12T20:13:49Z\"")]
    [InlineData("\"2023-10-12T22:13:49+02:00\"")]
    [InlineData("\"\\\"2023-10-12T20:13:49Z\\\"\"")]
    public void GetMetadataDateTime_WithAndWithoutOffset_SameInstant(string valueJson)
    {
        var request = Parse($$"""{ "Data": {}, "Metadata": { "EnqueuedTimeUtc": {{valueJson}} } }""");

        Assert.Equal(new DateTimeOffset(2023, 10, 12, 20, 13, 49, TimeSpan.Zero), request.GetMetadataDateTime("EnqueuedTimeUtc"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"Metadata\":{}}")]
    [InlineData("{\"Data\":\"msg\"}")]
    [InlineData("{\"Data\":{},\"Metadata\":[]}")]
    public void Parse_NotTheHostsShape_IsAPayloadError(string json)
    {
        Assert.Throws<InvalidInvocationPayloadException>(() => Parse(json));
    }

    [Fact]
    public void GetBodyText_BindingMissing_ErrorNamesTheBindingAndWhatIsThere()
    {
        var request = Parse("""{ "Data": { "message": "x" } }""");

        var error = Assert.Throws<InvalidInvocationPayloadException>(() => request.GetBodyText("msg"));

        Assert.Contains("'msg'", error.Message, StringComparison.Ordinal);
        Assert.Contains("message", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_GivenDictionaries_LookupsIgnoreCase()
    {
        using var document = JsonDocument.Parse("\"\\\"v\\\"\"");
        var request = new InvocationRequest(
            new Dictionary<string, JsonElement> { ["Msg"] = document.RootElement.Clone() },
            new Dictionary<string, JsonElement> { ["MessageId"] = document.RootElement.Clone() });

        Assert.True(request.Data.ContainsKey("msg"));
        Assert.Equal("v", request.GetMetadataString("messageid"));
    }
}
