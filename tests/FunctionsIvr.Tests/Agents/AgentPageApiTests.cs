using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FunctionsIvr.Agents;
using FunctionsIvr.CallRecords;
using FunctionsIvr.Hosting;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Fakes;
using FunctionsIvr.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Moq;

namespace FunctionsIvr.Tests.Agents;

/// <summary>The agent page and its cards over HTTP, after a call transferred through the real handler.</summary>
public sealed class AgentPageApiTests : IDisposable
{
    private readonly IvrApp _app = AgentTestApp.Create();
    private readonly string _callId = "call-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Page_NoToken_401WithAPageSayingSoAndNoCardData()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("personal link", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentTestApp.Caller.Name, html, StringComparison.Ordinal);
        Assert.DoesNotContain(_callId, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_AnotherAgentsToken_403AndNoCardData()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery("am_other")}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("does not open the calls of agent_default", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentTestApp.Caller.Name, html, StringComparison.Ordinal);
        Assert.Null(response.Headers.Contains("Set-Cookie") ? "cookie set" : null);
    }

    [Fact]
    public async Task Cards_AnotherAgentsToken_403AndNoCards()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}/cards?{AgentTestApp.AgentQuery("am_other")}", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(AgentTestApp.Caller.Name, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_OwnToken_ShowsTheCardAndSetsAStrictHttpOnlyCookieForThatAgentOnly()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery(AgentTestApp.DutyAgent)}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Jan Kowalski, Hurtownia Kowalski", html, StringComparison.Ordinal);
        Assert.Contains("ZS/2026/000777", html, StringComparison.Ordinal);
        Assert.Contains("RK/2026/0042", html, StringComparison.Ordinal);
        Assert.Contains("********200", html, StringComparison.Ordinal);
        Assert.DoesNotContain("600100200", html, StringComparison.Ordinal);
        Assert.Contains("name=\"viewport\"", html, StringComparison.Ordinal);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/agents/agent_default", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("a.wisniewska@pbx", "path=/api/agents/a.wisniewska%40pbx")]
    [InlineData("żaneta.łój", "path=/api/agents/%C5%BCaneta.%C5%82%C3%B3j")]
    public async Task Page_AccountManagerLoginWithAnAtOrPolishLetters_OpensWithItsTokenAndTheCookieFitsThePathSent(string login, string cookiePath)
    {
        // The ERP names account managers' logins unchecked; calls are put through to them and cards recorded for them.
        var caller = AgentTestApp.Caller with { AccountManager = new FunctionsIvr.Erp.AccountManager { Login = login, Name = "Anna Wiśniewska" } };
        _app.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(caller);
        _app.Erp.Setup(e => e.GetContactAsync(caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(caller);
        var answers = await PhoneCall.UntilTransferAsync(_app, _callId);
        Assert.Equal(login, answers[^1]["Action"]!["Destination"]!.GetValue<string>());
        using var client = _app.CreateClient();

        var response = await client.GetAsync(new Uri(AgentTestApp.AgentLink(login), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(_callId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(cookiePath + ";", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_ExpiredLink_403SayingSoAndNoCardOrCookie()
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        using var client = _app.CreateClient();
        var expired = LinkTokens.Query(AgentTestApp.AgentKey, "agent:" + AgentTestApp.DutyAgent, TimeProvider.System.GetUtcNow().AddSeconds(-1));

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}{expired}", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("has expired", html, StringComparison.Ordinal);
        Assert.DoesNotContain(AgentTestApp.Caller.Name, html, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Page_CookieLastsNoLongerThanTheLink()
    {
        using var client = _app.CreateClient();
        var query = LinkTokens.Query(AgentTestApp.AgentKey, "agent:" + AgentTestApp.DutyAgent, TimeProvider.System.GetUtcNow().AddHours(2));

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}{query}", UriKind.Relative));

        var maxAge = Regex.Match(Assert.Single(response.Headers.GetValues("Set-Cookie")), "max-age=([0-9]+)", RegexOptions.IgnoreCase);
        Assert.InRange(long.Parse(maxAge.Groups[1].Value, CultureInfo.InvariantCulture), 7100, 7200);
    }

    [Fact]
    public async Task Page_OpenedOverHttpsThroughTheFunctionsHost_CookieIsSecure()
    {
        // In Azure the host forwards the browser's HTTPS request to the handler over plain HTTP on loopback.
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri($"/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery(AgentTestApp.DutyAgent)}", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cards_WithTheCookie_ReturnsOnlyCardsAfterTheLastSeen()
    {
        using var client = _app.CreateClient();
        var open = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery(AgentTestApp.DutyAgent)}", UriKind.Relative));
        var cookie = open.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        await PhoneCall.UntilTransferAsync(_app, _callId);
        var first = await Cards(client, cookie, after: 0);
        var none = await Cards(client, cookie, after: first[0]!["id"]!.GetValue<long>());

        var card = Assert.Single(first);
        Assert.Equal(_callId, card!["callId"]!.GetValue<string>());
        Assert.Contains("menu", card["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Page_CallerDataWithMarkup_IsShownAsText()
    {
        var app = AgentTestApp.Create();
        using var _ = app;
        var evil = AgentTestApp.Caller with { Name = "<script>alert(1)</script>" };
        app.Erp.Setup(e => e.GetContactAsync(evil.Id, It.IsAny<CancellationToken>())).ReturnsAsync(evil);
        await PhoneCall.UntilTransferAsync(app, _callId);
        using var client = app.CreateClient();

        var html = await client.GetStringAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery(AgentTestApp.DutyAgent)}", UriKind.Relative));

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_NoSigningKey_ClosedForEveryone()
    {
        using var app = AgentTestApp.Create(new() { ["Agents:SigningKey"] = "" });
        using var client = app.CreateClient();

        var response = await client.GetAsync(new Uri($"/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery(AgentTestApp.DutyAgent)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Agents:SigningKey", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfer_SendsTheCardTextToTheErpCallRecord()
    {
        var work = new RecordingWorkQueue();
        using var app = AgentTestApp.Create().WithServices(s => s.Replace(ServiceDescriptor.Singleton<IWorkQueue>(work)));

        await PhoneCall.UntilTransferAsync(app, _callId);

        var updates = work.On(QueueNames.CallRecords).Where(m => m.Body.Contains("\"card\"", StringComparison.OrdinalIgnoreCase))
            .Select(m => work.Body<UpdateCallRecord>(m, CallRecordMessages.JsonOptions)).ToList();
        var card = Assert.Single(updates, u => u.Card?.Contains("Transferred to agent_default", StringComparison.Ordinal) == true);
        Assert.Contains("ZS/2026/000777", card.Card, StringComparison.Ordinal);
        Assert.Null(card.Outcome);
    }

    private static async Task<JsonArray> Cards(HttpClient client, string cookie, long after)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/api/agents/{AgentTestApp.DutyAgent}/cards?after={after}", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["cards"]!.AsArray();
    }
}
