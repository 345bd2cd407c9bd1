using System.Text.Json;
using FunctionsIvr.Simulator.Platform;

namespace FunctionsIvr.Tests.Simulator.Platform;

public class CallDriverTests
{
    [Fact]
    public async Task Start_JsonEncoding_PostsTheDocumentedEnvelope()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();

        var received = Assert.Single(webhook.Received);
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("json", received.Shape);
        Assert.Equal(
            $$$"""{"request":{"FromNumber":"48600100200","ToNumber":"48221234567","ChannelStatus":"Connected","UniqueCallId":"{{{driver.UniqueCallId}}}","Event":{"EventName":"Connected","EventData":""},"Session":null}}""",
            received.RawBody);
    }

    [Fact]
    public async Task Start_FormEncoding_SendsRequestFieldWithUrlEncodedJson()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook, CallbackEncoding.Form, hash: "s3cr3t");

        await driver.StartAsync();

        var received = Assert.Single(webhook.Received);
        Assert.Equal("application/x-www-form-urlencoded", received.ContentType);
        Assert.StartsWith("request=%7B%22FromNumber%22%3A%2248600100200%22", received.RawBody, StringComparison.Ordinal);
        Assert.Equal("form", received.Shape);
        Assert.Equal("s3cr3t", received.Hash);
        Assert.Equal(driver.UniqueCallId, received.UniqueCallId);
    }

    [Fact]
    public async Task Start_BareEncoding_SendsTheRequestObjectWithoutWrapper()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup());

        await SimulatorParts.Driver(webhook, CallbackEncoding.Bare).StartAsync();

        var received = Assert.Single(webhook.Received);
        Assert.Equal("application/json", received.ContentType);
        Assert.StartsWith("""{"FromNumber":""", received.RawBody, StringComparison.Ordinal);
        Assert.Equal("bare", received.Shape);
        Assert.Equal("Connected", received.EventName);
    }

    [Fact]
    public async Task Start_WithoutHash_LeavesHashOut()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup());

        await SimulatorParts.Driver(webhook).StartAsync();

        Assert.False(Assert.Single(webhook.Received).Request.TryGetProperty("Hash", out _));
    }

    [Fact]
    public async Task Continue_EachAction_IsFollowedByTheEventThePlatformSends()
    {
        string[] answers =
        [
            """{"Type":"Answer"}""",
            """{"Type":"Play","Prompt":"1"}""",
            """{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"4"}""",
            """{"Type":"GetDTMF","Prompt":"3","Timeout":"5000","MaxDigits":"1"}""",
            """{"Type":"CallByObjectLogin","Destination":"agent_default","Options":"Timeout=15"}""",
            """{"Type":"Wait","WaitTime":"1"}""",
            """{"Type":"SayNumber","Value":"1250"}""",
            """{"Type":"Hangup"}""",
        ];
        var next = 0;
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Action(answers[Interlocked.Increment(ref next) - 1]));
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();
        await driver.ContinueAsync(CallInput.None);
        await driver.ContinueAsync(CallInput.None);
        await driver.ContinueAsync(CallInput.Dtmf("1234"));
        await driver.ContinueAsync(CallInput.Timeout());
        await driver.ContinueAsync(CallInput.CallStatus(CallStatuses.Busy));
        await driver.ContinueAsync(CallInput.None);
        await driver.ContinueAsync(CallInput.None);

        Assert.Equal(
            ["Connected:", "Answer:", "Play:", "GetDTMF:1234", "GetDTMF:", "CallStatus:Busy", "Wait:", "SayNumber:"],
            webhook.Received.Select(r => r.EventName + ":" + r.EventData));
        Assert.All(webhook.Received, r => Assert.Equal(driver.UniqueCallId, r.UniqueCallId));
        Assert.True(driver.HasEnded);
        Assert.Equal("Hangup", driver.EndReason);
    }

    [Fact]
    public async Task Continue_SessionFromTheAnswer_IsEchoedInTheNextCallback()
    {
        await using var webhook = await FakeWebhook.StartAsync(r => r.Step is null
            ? FakeReply.Play("1", """{"step":"welcome","tries":0,"data":{"Ąż":"ł"}}""")
            : FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();
        await driver.ContinueAsync(CallInput.None);

        var second = webhook.Received[1].Session;
        Assert.True(JsonElement.DeepEquals(
            JsonDocument.Parse("""{"step":"welcome","tries":0,"data":{"Ąż":"ł"}}""").RootElement, second));
    }

    [Fact]
    public async Task Continue_AnswerWithoutSession_SendsNullSession()
    {
        await using var webhook = await FakeWebhook.StartAsync(r => r.EventName == "Connected" ? FakeReply.Play("1") : FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();
        await driver.ContinueAsync(CallInput.None);

        Assert.Equal(JsonValueKind.Null, webhook.Received[1].Session.ValueKind);
    }

    [Fact]
    public async Task Continue_WithPlatformError_SendsTheErrorObjectAndErrorStatus()
    {
        await using var webhook = await FakeWebhook.StartAsync(r => r.EventName == "Connected"
            ? FakeReply.Action("""{"Type":"CallByObjectLogin","Destination":"agent_default","Options":"Timeout=15"}""")
            : FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();
        await driver.ContinueAsync(new CallInput(Error: new PlatformError("4", "no SIP account")));

        var received = webhook.Received[1];
        Assert.Equal("CallStatus", received.EventName);
        Assert.Equal("Error", received.EventData);
        Assert.Equal("""{"ErrorNo":"4","ErrorMsg":"no SIP account"}""", received.Error?.GetRawText());
    }

    [Fact]
    public async Task Continue_BridgedCallThenHangup_EndsTheCall()
    {
        await using var webhook = await FakeWebhook.StartAsync(r => r.EventName == "Connected"
            ? FakeReply.Action("""{"Type":"CallByObjectLogin","Destination":"agent_default","Options":"Timeout=15"}""")
            : FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();
        await driver.ContinueAsync(CallInput.CallStatus(CallStatuses.Answer));

        Assert.True(driver.Bridged);
        Assert.True(driver.HasEnded);
        await Assert.ThrowsAsync<InvalidOperationException>(() => driver.ContinueAsync(CallInput.None));
    }

    [Fact]
    public async Task Start_DontAnswer_EndsTheCall()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Action("""{"Type":"DontAnswer"}"""));
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();

        Assert.Equal("DontAnswer", driver.EndReason);
    }

    [Fact]
    public async Task Repeat_SendsTheSameBytesAgain()
    {
        await using var webhook = await FakeWebhook.StartAsync(r => r.EventName == "Connected"
            ? FakeReply.Action("""{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"1"}""", """{"step":"menu"}""")
            : FakeReply.Hangup());
        var driver = SimulatorParts.Driver(webhook);

        await driver.StartAsync();
        await driver.ContinueAsync(CallInput.Dtmf("0"));
        var repeated = await driver.RepeatAsync();

        Assert.True(repeated.Repeated);
        Assert.Equal(3, webhook.Received.Count);
        Assert.Equal(webhook.Received[1].RawBody, webhook.Received[2].RawBody);
    }

    [Fact]
    public async Task Start_WrongCasing_IsInvalidAndTheCallEndsInTheFallback()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => new FakeReply(Body: """{"action":{"type":"Play","prompt":"1"}}"""));
        var driver = SimulatorParts.Driver(webhook);

        var exchange = await driver.StartAsync();

        Assert.False(exchange.Answer.IsValid);
        Assert.Equal(3, exchange.Answer.Violations.Count);
        Assert.Equal("the answer broke the protocol; the platform takes its fallback", driver.EndReason);
    }

    [Fact]
    public async Task Start_NumericParameters_AreReported()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ =>
            new FakeReply(Body: """{"Action":{"Type":"GetDTMF","Prompt":2,"Timeout":5000,"MaxDigits":1}}"""));

        var exchange = await SimulatorParts.Driver(webhook).StartAsync();

        Assert.Equal(
            ["Prompt must be a JSON string, got number 2", "Timeout must be a JSON string, got number 5000", "MaxDigits must be a JSON string, got number 1"],
            exchange.Answer.Violations);
    }

    [Fact]
    public async Task Start_HtmlServerError_IsInvalid()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ =>
            new FakeReply(500, "text/html; charset=utf-8", "<html><body><h1>Internal Server Error</h1></body></html>"));
        var driver = SimulatorParts.Driver(webhook);

        var exchange = await driver.StartAsync();

        Assert.StartsWith("HTTP 500 (text/html; charset=utf-8: \"<html>", Assert.Single(exchange.Answer.Violations), StringComparison.Ordinal);
        Assert.True(driver.HasEnded);
    }

    [Fact]
    public async Task Start_SlowAnswer_IsOverBudget()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup() with { Delay = TimeSpan.FromMilliseconds(400) });
        var settings = SimulatorParts.Settings(webhook) with { Budget = TimeSpan.FromMilliseconds(100) };
        var driver = new CallDriver(SimulatorParts.Client(), new ResponseValidator(), settings, CallDriver.NewCallId());

        var exchange = await driver.StartAsync();

        Assert.True(exchange.Answer.IsValid);
        Assert.True(exchange.OverBudget);
        // Timers may fire a millisecond or two early.
        Assert.True(exchange.Elapsed >= TimeSpan.FromMilliseconds(390), $"elapsed {exchange.Elapsed}");
    }

    [Fact]
    public async Task Start_NoAnswerWithinMaxWait_IsAnAppTimeout()
    {
        await using var webhook = await FakeWebhook.StartAsync(_ => FakeReply.Hangup() with { Delay = TimeSpan.FromSeconds(30) });
        var settings = SimulatorParts.Settings(webhook) with { MaxWait = TimeSpan.FromMilliseconds(300) };
        var driver = new CallDriver(SimulatorParts.Client(), new ResponseValidator(), settings, CallDriver.NewCallId());

        var exchange = await driver.StartAsync();

        Assert.Equal("no answer within 300 ms (the platform's max wait): app timeout", exchange.Http.TransportError);
        Assert.Equal("the app did not answer; the platform takes its fallback", driver.EndReason);
    }
}
