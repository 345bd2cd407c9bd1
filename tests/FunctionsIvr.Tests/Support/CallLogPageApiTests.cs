using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FunctionsIvr.Escalations;
using FunctionsIvr.Hosting;
using FunctionsIvr.State;
using FunctionsIvr.Support;
using FunctionsIvr.Tests.Agents;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Escalations;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Support;

/// <summary>The call log page over HTTP, for a call that went through the real handler.</summary>
public sealed class CallLogPageApiTests : IDisposable
{
    private readonly IvrApp _app = AgentTestApp.Create();
    private readonly string _callId = "call-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("pbx/2026/0001")]
    [InlineData("pbx%2F2026%2F0001")]
    public async Task SignedLink_CallIdWithASlashOrWithTheTextOfAnEscapedOne_OpensThatCall(string callId)
    {
        // The web server leaves %2F undecoded in a path: the id arrives with it, and must still open the call.
        await PhoneCall.UntilTransferAsync(_app, callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(AgentTestApp.CallLogLink(callId), UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("GetDTMF", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode("Call " + callId), html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedLink_ShowsEveryStepWithTimingsAndErpCalls()
    {
        var answers = await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(AgentTestApp.CallLogLink(_callId), UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = await _app.Services.GetRequiredService<ICallLog>().ReadAsync(_callId);
        Assert.Equal(answers.Count, entries.Count);
        Assert.Equal(entries.Count, Regex.Matches(html, "<tr>").Count - 1);
        Assert.Contains("GetDTMF", html, StringComparison.Ordinal);
        Assert.Contains("CallByObjectLogin", html, StringComparison.Ordinal);
        Assert.All(entries, e => Assert.Contains(HtmlEncoded(e.Action), html, StringComparison.Ordinal));
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErpCallsAndEscalationNotes_AreShownWithTheirStep()
    {
        var log = _app.Services.GetRequiredService<ICallLog>();
        await log.AppendAsync(new CallLogEntry
        {
            CallId = _callId, Sequence = 7, Time = DateTimeOffset.UnixEpoch, Step = "transfer_queue", EventName = "CallStatus", EventData = "Noanswer",
            Action = "Play prompt=9", DurationMs = 412.5, ErpCalls = "GET /contacts/{id} 200 38 ms",
            Note = "escalation nobody-answered raised to the account manager",
        });
        using var client = _app.CreateClient();

        var html = await client.GetStringAsync(new Uri(AgentTestApp.CallLogLink(_callId), UriKind.Relative));

        Assert.Contains("GET /contacts/{id} 200 38 ms", html, StringComparison.Ordinal);
        Assert.Contains("412.5", html, StringComparison.Ordinal);
        Assert.Contains("step 7: escalation nobody-answered raised to the account manager", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdersOfTheCall_AreListedFromTheOutbox()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        var outbox = _app.Services.GetRequiredService<IOutboxStore>();
        await outbox.AddAsync(new OutboxEntry("tx-1") { CallId = _callId, OrderNumber = "ZS/2026/000901", Total = 99m, Currency = "PLN", Status = OutboxStatus.Queued });
        await outbox.AddAsync(new OutboxEntry("tx-2") { CallId = "another-call", OrderNumber = "ZS/2026/000902", Status = OutboxStatus.Queued });
        using var client = _app.CreateClient();

        var html = await client.GetStringAsync(new Uri(AgentTestApp.CallLogLink(_callId), UriKind.Relative));

        Assert.Contains("ZS/2026/000901", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ZS/2026/000902", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoToken_401AndNoSteps()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(CallLogLinks.PathFor(_callId), UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("GetDTMF", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningKeyAnUnresolvedKeyVaultReference_PageClosedToALinkSignedWithItsText()
    {
        // The vault has no support-signing-key: App Service hands the app the reference's own text, which anyone
        // can rebuild from the app's host name (the vault is named after the same resource token).
        const string unresolved = "@Microsoft.KeyVault(SecretUri=https://kv-abc123.vault.azure.net/secrets/support-signing-key)";
        using var app = AgentTestApp.Create(new() { ["Support:SigningKey"] = unresolved });
        await PhoneCall.UntilTransferAsync(app, _callId);
        using var client = app.CreateClient();

        var forged = CallLogLinks.PathFor(_callId) + LinkTokens.Query(unresolved, "call:" + _callId, TimeProvider.System.GetUtcNow().AddDays(1));

        var response = await client.GetAsync(new Uri(forged, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("GetDTMF", html, StringComparison.Ordinal);
        Assert.Contains("Support:SigningKey", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCallsToken_403AndNoSteps()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();
        var otherLink = AgentTestApp.CallLogLink("some-other-call");

        var response = await client.GetAsync(new Uri(CallLogLinks.PathFor(_callId) + otherLink[otherLink.IndexOf('?', StringComparison.Ordinal)..], UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("GetDTMF", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EscalationLink_OpensThePageOfItsCall()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        var text = _app.Services.GetRequiredService<EscalationText>();
        var link = text.CallLogUrl(EscalationTestData.VipNobodyAnswered() with { CallId = _callId, RaisedAt = TimeProvider.System.GetUtcNow() })!;
        using var client = _app.CreateClient();

        var path = link.StartsWith('/') ? link : new Uri(link).PathAndQuery;
        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Matches($"^/api/calls/{_callId}\\?exp=[0-9]+&t=", path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task EscalationLinkPastItsLifetime_403SayingItExpiredAndNoSteps()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        var text = _app.Services.GetRequiredService<EscalationText>();
        var raisedLongAgo = TimeProvider.System.GetUtcNow() - TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);
        var link = new Uri(text.CallLogUrl(EscalationTestData.VipNobodyAnswered() with { CallId = _callId, RaisedAt = raisedLongAgo })!, UriKind.RelativeOrAbsolute);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(link.IsAbsoluteUri ? new Uri(link.PathAndQuery, UriKind.Relative) : link);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This link has expired", html, StringComparison.Ordinal);
        Assert.DoesNotContain("GetDTMF", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkWithItsExpiryMovedLater_403AndNoSteps()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        var link = AgentTestApp.CallLogLink(_callId);
        var exp = Regex.Match(link, "exp=([0-9]+)").Groups[1].Value;
        var moved = link.Replace("exp=" + exp, "exp=" + (long.Parse(exp, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(moved, UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(HtmlEncoded("This link does not open this call."), html, StringComparison.Ordinal);
        Assert.DoesNotContain("GetDTMF", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkSentBeforeLinksExpired_403SayingItExpired()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();
        var oldLink = CallLogLinks.PathFor(_callId) + "?t=" + LinkTokens.Derive(AgentTestApp.SupportKey, "call:" + _callId);

        var response = await client.GetAsync(new Uri(oldLink, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("This link has expired", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static string HtmlEncoded(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);
}
