using System.Text;
using System.Text.Json.Nodes;
using FunctionsIvr.Ivr;

namespace FunctionsIvr.Tests.Ivr;

public class IvrResponseWriterTests
{
    private static readonly IvrOptions Options = new();

    /// <summary>One action of every type, as the flows build them; the key is the action type.</summary>
    private static IvrAction Build(string type) => type switch
    {
        IvrActionTypes.Answer => IvrAction.Answer(),
        IvrActionTypes.DontAnswer => IvrAction.DontAnswer(),
        IvrActionTypes.Play => IvrAction.Play("1"),
        IvrActionTypes.Wait => IvrAction.Wait(2),
        IvrActionTypes.GetDtmf => IvrAction.GetDtmf("2", 5000, 1),
        IvrActionTypes.CallExternalNumber => IvrAction.CallExternalNumber("501234567", new CallOptions(15)),
        IvrActionTypes.CallLocalNumber => IvrAction.CallLocalNumber("221234567", new CallOptions(20, RingTones: false)),
        IvrActionTypes.CallByObjectLogin => IvrAction.CallByObjectLogin("kolejka_sprzedaz", new CallOptions(30)),
        IvrActionTypes.Hangup => IvrAction.Hangup(),
        IvrActionTypes.SayNumber => Options.Say(IvrActionTypes.SayNumber, "42"),
        IvrActionTypes.SayDigits => Options.Say(IvrActionTypes.SayDigits, "0042"),
        IvrActionTypes.SayDate => Options.Say(IvrActionTypes.SayDate, "2024-05-17"),
        IvrActionTypes.SayTime => Options.Say(IvrActionTypes.SayTime, "14:30"),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no golden case"),
    };

    public static TheoryData<string, string> Golden => new()
    {
        { IvrActionTypes.Answer, """{"Action":{"Type":"Answer"}}""" },
        { IvrActionTypes.DontAnswer, """{"Action":{"Type":"DontAnswer"}}""" },
        { IvrActionTypes.Play, """{"Action":{"Type":"Play","Prompt":"1"}}""" },
        { IvrActionTypes.Wait, """{"Action":{"Type":"Wait","WaitTime":"2"}}""" },
        { IvrActionTypes.GetDtmf, """{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"1"}}""" },
        { IvrActionTypes.CallExternalNumber, """{"Action":{"Type":"CallExternalNumber","Destination":"501234567","Options":"PlayCallStatus,RingTones,Timeout=15"}}""" },
        { IvrActionTypes.CallLocalNumber, """{"Action":{"Type":"CallLocalNumber","Destination":"221234567","Options":"PlayCallStatus,Timeout=20"}}""" },
        { IvrActionTypes.CallByObjectLogin, """{"Action":{"Type":"CallByObjectLogin","Destination":"kolejka_sprzedaz","Options":"PlayCallStatus,RingTones,Timeout=30"}}""" },
        { IvrActionTypes.Hangup, """{"Action":{"Type":"Hangup"}}""" },
        { IvrActionTypes.SayNumber, """{"Action":{"Type":"SayNumber","Number":"42"}}""" },
        { IvrActionTypes.SayDigits, """{"Action":{"Type":"SayDigits","Digits":"0042"}}""" },
        { IvrActionTypes.SayDate, """{"Action":{"Type":"SayDate","Date":"2024-05-17"}}""" },
        { IvrActionTypes.SayTime, """{"Action":{"Type":"SayTime","Time":"14:30"}}""" },
    };

    [Theory]
    [MemberData(nameof(Golden))]
    public void ToUtf8Json_EveryActionType_ExactBytes(string type, string expected) =>
        Assert.Equal(Encoding.UTF8.GetBytes(expected), IvrResponseWriter.ToUtf8Json(Build(type), session: null));

    [Fact]
    public void Golden_CoversEveryActionType()
    {
        var covered = Golden.Select(row => (string)row[0]).ToHashSet();
        Assert.True(IvrActionTypes.All.SetEquals(covered), "missing golden JSON for: " + string.Join(", ", IvrActionTypes.All.Except(covered)));
    }

    [Fact]
    public void ToUtf8Json_WithSession_MatchesTheDocumentedExample()
    {
        var session = new JsonObject { ["step"] = "menu", ["tries"] = 1 };
        var json = IvrResponseWriter.ToUtf8Json(IvrAction.GetDtmf("2", 5000, 1), session);
        Assert.Equal(
            """{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"1"},"Session":{"step":"menu","tries":1}}""",
            Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void ToUtf8Json_Always_NoByteOrderMark() =>
        Assert.Equal((byte)'{', IvrResponseWriter.ToUtf8Json(IvrAction.Hangup(), new JsonObject())[0]);

    [Fact]
    public void ToUtf8Json_NonAsciiInSession_WrittenAsAsciiEscapes()
    {
        var json = IvrResponseWriter.ToUtf8Json(IvrAction.Hangup(), new JsonObject { ["city"] = "Łódź" });
        Assert.All(json, b => Assert.True(b < 0x80));
        Assert.Equal("Łódź", JsonNode.Parse(json)!["Session"]!["city"]!.GetValue<string>());
    }

    [Fact]
    public void ToUtf8Json_ConfiguredSayParameterName_Used()
    {
        var options = new IvrOptions();
        options.SayParameterNames[IvrActionTypes.SayNumber] = "Value";
        Assert.Equal("""{"Action":{"Type":"SayNumber","Value":"7"}}""",
            Encoding.UTF8.GetString(IvrResponseWriter.ToUtf8Json(options.Say(IvrActionTypes.SayNumber, "7"), null)));
    }

    [Theory]
    [InlineData("Transfer", "Destination")]
    [InlineData("SayNumber", "Type")]
    [InlineData("SayNumber", "")]
    public void ToUtf8Json_ActionThePlatformWouldReject_Throws(string type, string parameter) =>
        Assert.Throws<ArgumentException>(() => IvrResponseWriter.ToUtf8Json(IvrAction.Say(type, parameter, "1"), null));

    [Fact]
    public void IvrActionResult_InvalidAction_ThrowsWhenCreatedInsideTheHandler() =>
        Assert.Throws<ArgumentException>(() => new IvrActionResult(IvrAction.Say("Bogus", "X", "1")));
}
