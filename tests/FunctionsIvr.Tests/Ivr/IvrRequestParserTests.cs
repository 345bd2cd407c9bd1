using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FunctionsIvr.Ivr;

namespace FunctionsIvr.Tests.Ivr;

public class IvrRequestParserTests
{
    private const string RequestObject =
        """{"FromNumber":"48600100200","ToNumber":"48221234567","ChannelStatus":"Connected","UniqueCallId":"example-uid-0001","Hash":"s3cr3t","Event":{"EventName":"GetDTMF","EventData":"12345"},"Session":{"step":"menu","tries":1},"Error":{"ErrorNo":"4","ErrorMsg":"no SIP account"}}""";

    private static IvrParseResult Parse(string body, string? contentType = "application/json") =>
        IvrRequestParser.Parse(Encoding.UTF8.GetBytes(body), contentType);

    private static IvrRequest ParseOk(string body, string? contentType = "application/json")
    {
        var result = Parse(body, contentType);
        Assert.True(result.Succeeded, result.Error?.Reason);
        return result.Request!;
    }

    private static void AssertExampleRequest(IvrRequest request)
    {
        Assert.Equal("example-uid-0001", request.UniqueCallId);
        Assert.Equal("48600100200", request.FromNumber);
        Assert.Equal("48221234567", request.ToNumber);
        Assert.Equal("Connected", request.ChannelStatus);
        Assert.Equal("s3cr3t", request.Hash);
        Assert.Equal("GetDTMF", request.EventName);
        Assert.Equal("12345", request.EventData);
        Assert.Equal("menu", request.Session!.Value.GetProperty("step").GetString());
        Assert.Equal(new IvrError("4", "no SIP account"), request.Error);
    }

    [Fact]
    public void Parse_WrappedJson_ReadsEveryField() =>
        AssertExampleRequest(ParseOk($$"""{"request":{{RequestObject}}}"""));

    [Fact]
    public void Parse_BareJson_ReadsEveryField() => AssertExampleRequest(ParseOk(RequestObject));

    [Fact]
    public void Parse_RequestHoldingJsonString_Unwraps() =>
        AssertExampleRequest(ParseOk(JsonSerializer.Serialize(new { request = RequestObject })));

    [Fact]
    public void Parse_UrlEncodedFormField_ReadsRequest()
    {
        var body = "request=" + Uri.EscapeDataString($$"""{"request":{{RequestObject}}}""") + "&other=1";
        AssertExampleRequest(ParseOk(body, "application/x-www-form-urlencoded"));
    }

    [Fact]
    public void Parse_UrlEncodedFormWithPlusForSpaces_DecodesSpaces()
    {
        var body = "request=" + Uri.EscapeDataString("""{"UniqueCallId":"c-1","ChannelStatus":"Up Now"}""").Replace("%20", "+", StringComparison.Ordinal);
        Assert.Equal("Up Now", ParseOk(body, "application/x-www-form-urlencoded").ChannelStatus);
    }

    [Fact]
    public void Parse_FormBodyLabelledAsJson_DetectedByContent() =>
        AssertExampleRequest(ParseOk("request=" + Uri.EscapeDataString(RequestObject), "application/json"));

    [Fact]
    public void Parse_JsonBodyLabelledAsForm_DetectedByContent() =>
        AssertExampleRequest(ParseOk(RequestObject, "application/x-www-form-urlencoded"));

    [Fact]
    public void Parse_FormWithoutContentType_DetectedByContent() =>
        AssertExampleRequest(ParseOk("request=" + Uri.EscapeDataString(RequestObject), contentType: null));

    [Fact]
    public async Task Parse_MultipartFormField_ReadsRequest()
    {
        using var form = new MultipartFormDataContent("----formboundary7MA4YWxk");
        form.Add(new StringContent("ignored"), "other");
        form.Add(new StringContent(RequestObject, Encoding.UTF8), "request");
        var bytes = await form.ReadAsByteArrayAsync();

        var result = IvrRequestParser.Parse(bytes, form.Headers.ContentType!.ToString());

        Assert.True(result.Succeeded, result.Error?.Reason);
        AssertExampleRequest(result.Request!);
    }

    [Fact]
    public void Parse_MultipartWithoutContentType_TakesBoundaryFromBody()
    {
        var body = $"--XyZ\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n{RequestObject}\r\n--XyZ--\r\n";
        AssertExampleRequest(ParseOk(body, contentType: null));
    }

    [Fact]
    public void Parse_MultipartWithBareLineFeeds_ReadsRequest()
    {
        var body = $"--b1\nContent-Disposition: form-data; name=request\n\n{RequestObject}\n--b1--\n";
        AssertExampleRequest(ParseOk(body, "multipart/form-data; boundary=b1"));
    }

    [Fact]
    public void Parse_MultipartWithoutRequestField_FailsWithReason()
    {
        var body = "--b1\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\n{}\r\n--b1--\r\n";
        var result = Parse(body, "multipart/form-data; boundary=b1");
        Assert.Equal(IvrParseErrorKind.NoRequestField, result.Error!.Kind);
    }

    [Fact]
    public void Parse_Utf8BomBeforeJson_ReadsRequestAndNonAsciiText()
    {
        var json = """{"request":{"UniqueCallId":"c-1","ChannelStatus":"Połączony"}}""";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();

        var result = IvrRequestParser.Parse(bytes, "application/json; charset=utf-8");

        Assert.Equal("Połączony", result.Request!.ChannelStatus);
    }

    [Fact]
    public void Parse_BomAndWhitespaceBeforeFormField_ReadsRequest()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(" \r\nrequest=" + Uri.EscapeDataString(RequestObject))).ToArray();
        AssertExampleRequest(IvrRequestParser.Parse(bytes, "application/x-www-form-urlencoded").Request!);
    }

    [Fact]
    public void Parse_SessionAsObject_KeptAsObject()
    {
        var session = ParseOk("""{"UniqueCallId":"c-1","Session":{"step":"menu","tries":2}}""").Session!.Value;
        Assert.Equal(JsonValueKind.Object, session.ValueKind);
        Assert.Equal(2, session.GetProperty("tries").GetInt32());
    }

    [Fact]
    public void Parse_SessionAsJsonString_Unwrapped()
    {
        var session = ParseOk("""{"UniqueCallId":"c-1","Session":"{\"step\":\"menu\",\"tries\":2}"}""").Session!.Value;
        Assert.Equal(JsonValueKind.Object, session.ValueKind);
        Assert.Equal("menu", session.GetProperty("step").GetString());
    }

    [Theory]
    [InlineData("""{"UniqueCallId":"c-1","Session":null}""")]
    [InlineData("""{"UniqueCallId":"c-1","Session":""}""")]
    [InlineData("""{"UniqueCallId":"c-1","Session":"  "}""")]
    [InlineData("""{"UniqueCallId":"c-1"}""")]
    public void Parse_SessionNullEmptyOrAbsent_IsNull(string body) => Assert.Null(ParseOk(body).Session);

    [Theory]
    [InlineData("""{"UniqueCallId":"c-1","Session":"not json"}""", JsonValueKind.String)]
    [InlineData("""{"UniqueCallId":"c-1","Session":"{broken"}""", JsonValueKind.String)]
    [InlineData("""{"UniqueCallId":"c-1","Session":[1,2]}""", JsonValueKind.Array)]
    [InlineData("""{"UniqueCallId":"c-1","Session":7}""", JsonValueKind.Number)]
    public void Parse_SessionNotAnObject_KeptForTheCodecToRefuse(string body, JsonValueKind kind) =>
        Assert.Equal(kind, ParseOk(body).Session!.Value.ValueKind);

    [Theory]
    [InlineData("""{"EventName":"GetDTMF","EventData":12345}""", "12345")]
    [InlineData("""{"EventName":"GetDTMF","EventData":"0042"}""", "0042")]
    [InlineData("""{"EventName":"Play","EventData":null}""", "")]
    [InlineData("""{"EventName":"Play"}""", "")]
    [InlineData("""{"EventName":"Wait","EventData":true}""", "true")]
    public void Parse_EventDataOfAnyScalarType_BecomesText(string eventJson, string expected) =>
        Assert.Equal(expected, ParseOk($$"""{"UniqueCallId":"c-1","Event":{{eventJson}}}""").EventData);

    [Fact]
    public void Parse_NoEvent_EmptyNameAndData()
    {
        var request = ParseOk("""{"UniqueCallId":"c-1"}""");
        Assert.Equal(("", ""), (request.EventName, request.EventData));
    }

    [Theory]
    [InlineData("""{"ErrorNo":4,"ErrorMsg":"no SIP account"}""", "4")]
    [InlineData("""{"ErrorNo":"4","ErrorMsg":"no SIP account"}""", "4")]
    public void Parse_ErrorNoNumberOrString_BecomesText(string errorJson, string expected) =>
        Assert.Equal(expected, ParseOk($$"""{"UniqueCallId":"c-1","Error":{{errorJson}}}""").Error!.ErrorNo);

    [Fact]
    public void Parse_ErrorNull_NoError()
    {
        var request = ParseOk("""{"UniqueCallId":"c-1","Error":null}""");
        Assert.Equal((null, false), (request.Error, request.EmptyErrorIgnored));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    [InlineData("[]")]
    [InlineData("false")]
    [InlineData("""{"ErrorNo":"","ErrorMsg":""}""")]
    [InlineData("""{"ErrorNo":null,"ErrorMsg":" "}""")]
    public void Parse_ErrorWithNeitherErrorNoNorErrorMsg_NoErrorButNoted(string errorJson)
    {
        var request = ParseOk($$"""{"UniqueCallId":"c-1","Error":{{errorJson}}}""");
        Assert.Equal((null, true), (request.Error, request.EmptyErrorIgnored));
    }

    [Theory]
    [InlineData("""{"ErrorNo":"4"}""", "4", "")]
    [InlineData("""{"ErrorMsg":"no SIP account"}""", "", "no SIP account")]
    [InlineData("\"app timeout\"", "", "app timeout")]
    public void Parse_ErrorWithErrorNoOrErrorMsg_IsAnError(string errorJson, string errorNo, string errorMsg)
    {
        var request = ParseOk($$"""{"UniqueCallId":"c-1","Error":{{errorJson}}}""");
        Assert.Equal((new IvrError(errorNo, errorMsg), false), (request.Error, request.EmptyErrorIgnored));
    }

    [Fact]
    public void Parse_PropertyNamesInOtherCasing_Read()
    {
        var request = ParseOk("""{"REQUEST":{"uniquecallid":"c-9","fromNumber":"48600100200","event":{"eventname":"Connected","EVENTDATA":""},"hash":"h","session":null}}""");
        Assert.Equal(("c-9", "48600100200", "Connected", "h"), (request.UniqueCallId, request.FromNumber, request.EventName, request.Hash));
    }

    [Fact]
    public void Parse_PropertyNamesEscapedAndInOtherCasing_Read()
    {
        var request = ParseOk("""{"\u0075niquecallid":"c-9","FROM\u004eUMBER":"48600100200","\u0045vent":{"EventName":"DTMF","eventdat\u0061":"3"}}""");
        Assert.Equal(("c-9", "48600100200", "DTMF", "3"), (request.UniqueCallId, request.FromNumber, request.EventName, request.EventData));
    }

    [Fact]
    public void Parse_UnknownFields_Ignored()
    {
        var request = ParseOk("""{"request":{"UniqueCallId":"c-1","Extra":{"deep":[1,2,3]},"Future":true},"envelope":"x"}""");
        Assert.Equal("c-1", request.UniqueCallId);
    }

    [Fact]
    public void Parse_NumericUniqueCallId_KeptAsText() => Assert.Equal("1234567890123", ParseOk("""{"UniqueCallId":1234567890123}""").UniqueCallId);

    [Theory]
    [InlineData("""{"request":{"FromNumber":"48600100200","Hash":"s3cr3t"}}""")]
    [InlineData("""{"request":{"UniqueCallId":"","Hash":"s3cr3t"}}""")]
    [InlineData("""{"request":{"UniqueCallId":null,"Hash":"s3cr3t"}}""")]
    public void Parse_MissingUniqueCallId_FailsAndKeepsHashForTheCheck(string body)
    {
        var result = Parse(body);
        Assert.False(result.Succeeded);
        Assert.Equal(IvrParseErrorKind.MissingUniqueCallId, result.Error!.Kind);
        Assert.Equal("s3cr3t", result.Hash);
    }

    [Theory]
    [InlineData("", IvrParseErrorKind.EmptyBody)]
    [InlineData("  \r\n ", IvrParseErrorKind.EmptyBody)]
    [InlineData("{", IvrParseErrorKind.MalformedJson)]
    [InlineData("""{"UniqueCallId":"c-1"} trailing""", IvrParseErrorKind.MalformedJson)]
    [InlineData("""{"request":5}""", IvrParseErrorKind.NotAnObject)]
    [InlineData("""{"request":null}""", IvrParseErrorKind.NotAnObject)]
    [InlineData("""{"request":"hello"}""", IvrParseErrorKind.NotAnObject)]
    [InlineData("""{"request":"[1]"}""", IvrParseErrorKind.NotAnObject)]
    [InlineData("[1,2,3]", IvrParseErrorKind.NoRequestField)]
    [InlineData("<html>502 Bad Gateway</html>", IvrParseErrorKind.NoRequestField)]
    [InlineData("request=not-json", IvrParseErrorKind.NotAnObject)]
    [InlineData("request=%7Bbroken", IvrParseErrorKind.MalformedJson)]
    [InlineData("""{"UniqueCallId":"\uD800"}""", IvrParseErrorKind.MalformedJson)]
    public void Parse_UnusableBody_FailsWithKind(string body, IvrParseErrorKind kind)
    {
        var result = Parse(body);
        Assert.Null(result.Request);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Reason));
    }

    [Fact]
    public void Parse_InvalidUtf8InsideJson_FailsAsMalformed()
    {
        byte[] body = [.. "{\"UniqueCallId\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.Equal(IvrParseErrorKind.MalformedJson, IvrRequestParser.Parse(body, "application/json").Error!.Kind);
    }

    [Fact]
    public void Parse_UnknownFieldNameNotValidUtf8_IgnoredLikeAnyUnknownField()
    {
        // Known fields are read; a name no field of the protocol can have is skipped without being decoded.
        byte[] body = [.. "{\"UniqueCallId\":\"c-1\",\"Hash\":\"h\",\""u8, 0xC3, 0x28, .. "\":1}"u8];

        var result = IvrRequestParser.Parse(body, "application/json");

        Assert.True(result.Succeeded, result.Error?.Reason);
        Assert.Equal(("c-1", "h"), (result.Request!.UniqueCallId, result.Hash));
    }

    [Fact]
    public void Parse_RandomGarbageBytes_NeverThrows()
    {
        var random = new Random(20240517);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 0) bytes[0] = (byte)'{';
            if (i % 3 == 1 && bytes.Length > 2) (bytes[0], bytes[1]) = ((byte)'-', (byte)'-');

            var result = IvrRequestParser.Parse(bytes, i % 2 == 0 ? "multipart/form-data; boundary=x" : null);

            Assert.True(result.Succeeded || result.Error is not null);
        }
    }

    [Fact]
    public void Parse_DeeplyNestedJson_FailsAsMalformedWithoutThrowing()
    {
        var body = """{"UniqueCallId":"c-1","Session":""" + new string('[', 100_000) + new string(']', 100_000) + "}";
        Assert.Equal(IvrParseErrorKind.MalformedJson, Parse(body).Error!.Kind);
    }

    [Fact]
    public void Parse_DeeplyNestedSessionString_KeptAsStringForTheCodecToRefuse()
    {
        var nested = new string('[', 5_000) + new string(']', 5_000);
        var body = JsonSerializer.Serialize(new { UniqueCallId = "c-1", Session = "{\"a\":" + nested + "}" });
        Assert.Equal(JsonValueKind.String, ParseOk(body).Session!.Value.ValueKind);
    }

    [Fact]
    public void Parse_MalformedJson_ReasonDoesNotQuoteTheBody()
    {
        var result = Parse("""{"UniqueCallId":"c-1","Hash":"s3cr3t","Event":{"EventData":"98765"}} 98765""");
        Assert.Equal(IvrParseErrorKind.MalformedJson, result.Error!.Kind);
        Assert.DoesNotContain("s3cr3t", result.Error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("98765", result.Error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutHash_HashIsNull()
    {
        var result = Parse("""{"UniqueCallId":"c-1"}""");
        Assert.Null(result.Hash);
        Assert.Null(result.Request!.Hash);
    }

    [Fact]
    public void WithoutHash_RemovesTheSecretFromRequestAndResult()
    {
        var stripped = Parse(RequestObject).WithoutHash();
        Assert.Null(stripped.Hash);
        Assert.Null(stripped.Request!.Hash);
        Assert.Equal("example-uid-0001", stripped.Request.UniqueCallId);
    }

    [Fact]
    public void Parse_ContentTypeHeaderWithQuotedBoundary_ReadsRequest()
    {
        var contentType = new MediaTypeHeaderValue("multipart/form-data");
        contentType.Parameters.Add(new NameValueHeaderValue("boundary", "\"a b\""));
        var body = $"--a b\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n{RequestObject}\r\n--a b--\r\n";
        AssertExampleRequest(ParseOk(body, contentType.ToString()));
    }
}
