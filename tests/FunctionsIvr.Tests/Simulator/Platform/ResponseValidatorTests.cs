using System.Text;
using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Tests.Simulator.Platform;

public class ResponseValidatorTests
{
    private const string Json = "application/json; charset=utf-8";

    [Theory]
    [InlineData("""{"Action":{"Type":"Answer"}}""")]
    [InlineData("""{"Action":{"Type":"DontAnswer"}}""")]
    [InlineData("""{"Action":{"Type":"Hangup"},"Session":null}""")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1"},"Session":{"step":"welcome","tries":0}}""")]
    [InlineData("""{"Action":{"Type":"Wait","WaitTime":"2"}}""")]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"1"}}""")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"kolejka_sprzedaz","Options":"PlayCallStatus,RingTones,Timeout=30"}}""")]
    [InlineData("""{"Action":{"Type":"CallExternalNumber","Destination":"501234567","Options":"PlayCallStatus,Timeout=15"}}""")]
    [InlineData("""{"Action":{"Type":"CallLocalNumber","Destination":"+48221234567"}}""")]
    [InlineData("""{"Action":{"Type":"SayNumber","Value":"1250"}}""")]
    [InlineData("""{"Action":{"Type":"SayDigits","Digits":"0042"}}""")]
    [InlineData("""{"Action":{"Type":"SayDate","Date":"2025-01-31"}}""")]
    [InlineData("""{"Action":{"Type":"SayTime","Time":"14:30"}}""")]
    public void Validate_DocumentedAnswer_IsValid(string body)
    {
        var answer = new ResponseValidator().Validate(Ok(body));

        Assert.Empty(answer.Violations);
        Assert.Empty(answer.Warnings);
        Assert.True(answer.IsValid);
    }

    [Theory]
    [InlineData("""{"action":{"Type":"Play","Prompt":"1"}}""", "'action' has the wrong casing: the platform reads 'Action'")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1"},"session":{}}""", "'session' has the wrong casing: the platform reads 'Session'")]
    [InlineData("""{"Action":{"type":"Play","Prompt":"1"}}""", "'type' has the wrong casing: the platform reads 'Type'")]
    [InlineData("""{"Action":{"Type":"play","Prompt":"1"}}""", "Type 'play' has the wrong casing: the platform knows 'Play'")]
    [InlineData("""{"Action":{"Type":"GetDtmf","Prompt":"2","Timeout":"5000","MaxDigits":"1"}}""", "the platform knows 'GetDTMF'")]
    [InlineData("""{"Action":{"Type":"Play","prompt":"1"}}""", "'prompt' has the wrong casing: the platform reads 'Prompt'")]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":5000,"MaxDigits":"1"}}""", "Timeout must be a JSON string, got number 5000")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":1}}""", "Prompt must be a JSON string, got number 1")]
    [InlineData("""{"Action":{"Type":2}}""", "Action.Type must be a JSON string, got number 2")]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000"}}""", "GetDTMF needs MaxDigits")]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5 s","MaxDigits":"1"}}""", "GetDTMF.Timeout must be a positive whole number in a string")]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"0"}}""", "GetDTMF.MaxDigits must be a positive whole number")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"welcome"}}""", "Play.Prompt must be a positive whole number in a string (a prompt number from the panel), got 'welcome'")]
    [InlineData("""{"Action":{"Type":"Play"}}""", "Play needs Prompt")]
    [InlineData("""{"Action":{"Type":"Wait","WaitTime":"2s"}}""", "Wait.WaitTime must be a positive whole number")]
    [InlineData("""{"Action":{"Type":"Hangup","Prompt":"9"}}""", "Hangup takes no parameter 'Prompt'")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1","Prompt":"2"}}""", "parameter 'Prompt' appears twice")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1"},"Action":{"Type":"Hangup"}}""", "exactly one Action expected, found 2")]
    [InlineData("""{"Session":{"step":"x"}}""", "no Action in the answer")]
    [InlineData("""{"Action":[{"Type":"Play","Prompt":"1"}]}""", "Action is a JSON array, expected an object with a Type")]
    [InlineData("""{"Action":{"Prompt":"1"}}""", "Action has no Type")]
    [InlineData("""{"Action":{"Type":"Transfer","Destination":"x"}}""", "unknown action Type 'Transfer'")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1"},"Debug":"x"}""", "unexpected property 'Debug' next to Action and Session")]
    [InlineData("""[{"Action":{"Type":"Hangup"}}]""", "the body is a JSON array, expected an object with an Action")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"","Options":"Timeout=15"}}""", "CallByObjectLogin needs a non-empty Destination")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":" agent ","Options":"Timeout=15"}}""", "has surrounding spaces")]
    [InlineData("""{"Action":{"Type":"CallExternalNumber","Destination":"am_nowak","Options":"Timeout=15"}}""", "CallExternalNumber.Destination must be a phone number")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q","Options":"PlayCallStatus,Ring,Timeout=15"}}""", "'Ring' is not in the documented vocabulary (PlayCallStatus, RingTones, Timeout=N)")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q","Options":"playcallstatus,Timeout=15"}}""", "'playcallstatus' must be written exactly 'PlayCallStatus'")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q","Options":"PlayCallStatus, RingTones"}}""", "' RingTones' must be written exactly 'RingTones'")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q","Options":"Timeout=abc"}}""", "Options Timeout must be whole seconds, got 'Timeout=abc'")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q","Options":"Timeout=15,Timeout=30"}}""", "Options repeats 'Timeout'")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1"},"Session":"c3RlcD1tZW51"}""", "Session must be a JSON object, got string")]
    [InlineData("""{"Action":{"Type":"SayNumber"}}""", "SayNumber needs the value to say")]
    [InlineData("""{"Action":{"Type":"SayNumber","Value":"1","Extra":"2"}}""", "SayNumber should carry one value, got Value, Extra")]
    [InlineData("""{"Action":{"Type":"Play","Prompt":"1"}""", "the body is not JSON")]
    [InlineData("""{"Action":{"Type":"Hangup","Type":"Play","Prompt":"1"}}""", "Action has two Type keys")]
    [InlineData("""{"Action":{"Type":"Hangup"},"Session":{"step":"a"},"Session":{"step":"b"}}""", "Session appears 2 times")]
    [InlineData("""{"Action":{"Type":"Hangup"},"Session":{"s":"\uD800"}}""", "the body holds an escaped lone surrogate")]
    [InlineData("""{"Action":{"Type":"SayDigits","Digits":"\uD800"}}""", "the body holds an escaped lone surrogate")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"kolejka sprzedaz","Options":"Timeout=15"}}""", "CallByObjectLogin.Destination must be one object login")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q,Timeout=99","Options":"Timeout=15"}}""", "CallByObjectLogin.Destination must be one object login")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q\u0000","Options":"Timeout=15"}}""", "CallByObjectLogin.Destination must be one object login")]
    [InlineData("""{"Action":{"Type":"SayNumber","Prompt":"7"}}""", "SayNumber carries its value in 'Prompt', a parameter of other actions")]
    public void Validate_ProtocolViolation_IsNamed(string body, string expected)
    {
        var answer = new ResponseValidator().Validate(Ok(body));

        Assert.False(answer.IsValid);
        Assert.Contains(answer.Violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_HtmlErrorPage_ReportsStatusAndWhatCameBack()
    {
        var answer = new ResponseValidator().Validate(
            new HttpAnswer(500, "text/html", Encoding.UTF8.GetBytes("<!DOCTYPE html>\n<html><body>Internal Server Error</body></html>"), TimeSpan.Zero));

        var violation = Assert.Single(answer.Violations);
        Assert.StartsWith("HTTP 500 (text/html: \"<!DOCTYPE html> <html>", violation, StringComparison.Ordinal);
        Assert.Null(answer.Action);
    }

    [Fact]
    public void Validate_HtmlWithStatus200_ReportsContentTypeAndNotJson()
    {
        var answer = new ResponseValidator().Validate(
            new HttpAnswer(200, "text/html; charset=utf-8", Encoding.UTF8.GetBytes("<html>ok</html>"), TimeSpan.Zero));

        Assert.Contains(answer.Violations, v => v.StartsWith("Content-Type is 'text/html; charset=utf-8', expected application/json", StringComparison.Ordinal));
        Assert.Contains(answer.Violations, v => v.StartsWith("the body is not JSON", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_MissingContentType_IsViolationButActionIsStillRead()
    {
        var answer = new ResponseValidator().Validate(new HttpAnswer(200, null, Encoding.UTF8.GetBytes("""{"Action":{"Type":"Hangup"}}"""), TimeSpan.Zero));

        Assert.Equal(["no Content-Type: expected application/json"], answer.Violations);
        Assert.Equal("Hangup", answer.Action?.Type);
    }

    [Fact]
    public void Validate_ForeignCharset_IsViolation()
    {
        var answer = new ResponseValidator().Validate(Ok("""{"Action":{"Type":"Hangup"}}""", "application/json; charset=iso-8859-2"));

        Assert.Equal(["charset is 'iso-8859-2', expected utf-8"], answer.Violations);
    }

    [Fact]
    public void Validate_ByteOrderMark_IsViolationAndTheRestIsRead()
    {
        var answer = new ResponseValidator().Validate(Ok("\uFEFF" + """{"Action":{"Type":"Play","Prompt":"1"}}"""));

        Assert.Equal(["the body starts with a UTF-8 byte order mark: send JSON without a BOM"], answer.Violations);
        Assert.Equal("1", answer.Action?["Prompt"]);
    }

    [Theory]
    [InlineData(204, "")]
    [InlineData(200, "")]
    [InlineData(200, "  \n")]
    public void Validate_EmptyAnswer_IsViolation(int status, string body)
    {
        var answer = new ResponseValidator().Validate(Ok(body, status: status));

        Assert.False(answer.IsValid);
        Assert.Single(answer.Violations);
    }

    [Fact]
    public void Validate_NoAnswerAtAll_CarriesTheTransportError()
    {
        var answer = new ResponseValidator().Validate(HttpAnswer.Failed("no answer: Connection refused", TimeSpan.Zero));

        Assert.Equal(["no answer: Connection refused"], answer.Violations);
    }

    [Fact]
    public void Validate_ConfiguredSayParameter_RequiresThatName()
    {
        var validator = new ResponseValidator(sayParameter: "Number");

        Assert.True(validator.Validate(Ok("""{"Action":{"Type":"SayNumber","Number":"1250"}}""")).IsValid);
        Assert.Equal(["SayNumber must carry its value in 'Number', got Value"],
            validator.Validate(Ok("""{"Action":{"Type":"SayNumber","Value":"1250"}}""")).Violations);
    }

    [Theory]
    [InlineData("SayDate", "31.01.2025", "SayDate value '31.01.2025' is not YYYY-MM-DD")]
    [InlineData("SayTime", "2:30 PM", "SayTime value '2:30 PM' is not HH:MM")]
    [InlineData("SayNumber", "12,50", "SayNumber value '12,50' is not a whole number")]
    public void Validate_UnconfirmedSayFormat_IsOnlyAWarning(string type, string value, string expected)
    {
        var answer = new ResponseValidator().Validate(Ok($$$"""{"Action":{"Type":"{{{type}}}","Value":"{{{value}}}"}}"""));

        Assert.True(answer.IsValid);
        Assert.Contains(answer.Warnings, w => w.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LargeSession_IsWarnedAbout()
    {
        var big = new string('x', 1100);
        var answer = new ResponseValidator().Validate(Ok($$$"""{"Action":{"Type":"Hangup"},"Session":{"notes":"{{{big}}}"}}"""));

        Assert.True(answer.IsValid);
        Assert.Contains(answer.Warnings, w => w.StartsWith("Session is 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_Session_IsKeptToEchoAndNullSessionIsNone()
    {
        var validator = new ResponseValidator();

        var withSession = validator.Validate(Ok("""{"Action":{"Type":"Hangup"},"Session":{"step":"end","tries":2}}"""));
        var nullSession = validator.Validate(Ok("""{"Action":{"Type":"Hangup"},"Session":null}"""));

        Assert.Equal("""{"step":"end","tries":2}""", withSession.Session?.GetRawText());
        Assert.Null(nullSession.Session);
    }

    [Theory]
    [InlineData(new byte[] { 0x7B, 0x22, 0x41, 0x63, 0x74, 0x69, 0x6F, 0x6E, 0x22, 0x3A, 0x7B, 0x22, 0x54, 0x79, 0x70, 0x65, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x7D })]
    [InlineData(new byte[] { 0x7B, 0x22, 0x41, 0x63, 0x74, 0x69, 0x6F, 0x6E, 0x22, 0x3A, 0x7B, 0x22, 0x54, 0x79, 0x70, 0x65, 0x22, 0x3A, 0x22, 0x48, 0x61, 0x6E, 0x67, 0x75, 0x70, 0x22, 0x7D, 0x2C, 0x22, 0x53, 0x65, 0x73, 0x73, 0x69, 0x6F, 0x6E, 0x22, 0x3A, 0x7B, 0x22, 0x73, 0x22, 0x3A, 0x22, 0xC3, 0x22, 0x7D, 0x7D })]
    public void Validate_BodyNotUtf8_IsReportedNotThrown(byte[] body)
    {
        // {"Action":{"Type":"\xFF"}} and {"Action":{"Type":"Hangup"},"Session":{"s":"\xC3"}}: a load run used to stop on them.
        var answer = new ResponseValidator().Validate(new HttpAnswer(200, Json, body, TimeSpan.Zero));

        Assert.False(answer.IsValid);
        Assert.StartsWith("the body is not valid UTF-8", Assert.Single(answer.Violations), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5","MaxDigits":"1"}}""", "GetDTMF.Timeout is 5, outside 1000–60000")]
    [InlineData("""{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"999999999"}}""", "GetDTMF.MaxDigits is 999999999, outside 1–32")]
    [InlineData("""{"Action":{"Type":"Wait","WaitTime":"2000"}}""", "Wait.WaitTime is 2000, outside 1–60")]
    [InlineData("""{"Action":{"Type":"CallByObjectLogin","Destination":"q","Options":"Timeout=86400"}}""", "Options 'Timeout=86400': over five minutes")]
    public void Validate_UnitMixedUpOrAbsurdValue_IsWarned(string body, string expected)
    {
        var answer = new ResponseValidator().Validate(Ok(body));

        Assert.True(answer.IsValid);
        Assert.Contains(answer.Warnings, w => w.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SayParameterPerType_EachTypeItsOwnName()
    {
        // The app's defaults (Ivr:SayParameterNames): one name per Say* type.
        var validator = new ResponseValidator("SayNumber=Number,SayDigits=Digits,SayDate=Date,SayTime=Time");

        Assert.True(validator.Validate(Ok("""{"Action":{"Type":"SayDigits","Digits":"0042"}}""")).IsValid);
        Assert.True(validator.Validate(Ok("""{"Action":{"Type":"SayNumber","Number":"12"}}""")).IsValid);
        Assert.Equal(["SayNumber must carry its value in 'Number', got Digits"],
            validator.Validate(Ok("""{"Action":{"Type":"SayNumber","Digits":"12"}}""")).Violations);
        Assert.Throws<ArgumentException>(() => new ResponseValidator("SayNumber=Number,Play=Prompt"));
        Assert.True(new ResponseValidator("saynumber=Number").Validate(Ok("""{"Action":{"Type":"SayNumber","Number":"12"}}""")).IsValid);
    }

    [Fact]
    public void Validate_TwoSessionsAndNoAction_BothReported()
    {
        var answer = new ResponseValidator().Validate(Ok("""{"Session":{"step":"a"},"Session":{"step":"b"}}"""));

        Assert.Contains("no Action in the answer", answer.Violations);
        Assert.Contains(answer.Violations, v => v.StartsWith("Session appears 2 times", StringComparison.Ordinal));
    }

    private static HttpAnswer Ok(string body, string contentType = Json, int status = 200) =>
        new(status, contentType, Encoding.UTF8.GetBytes(body), TimeSpan.FromMilliseconds(3));
}
