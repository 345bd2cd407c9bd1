using System.Net;
using FunctionsIvr.Agents;
using FunctionsIvr.Erp;
using FunctionsIvr.State;
using FunctionsIvr.Tests.Agents;
using FunctionsIvr.Tests.Calls;
using FunctionsIvr.Tests.Packaging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Xunit.Abstractions;

namespace FunctionsIvr.Tests.Browser;

/// <summary>
/// The agent page and the call log page in a real browser (headless Chromium over the DevTools Protocol) against
/// the real handler on a real Kestrel port. Screenshots land in .artifacts/screenshots (docs/screenshots holds copies).
/// </summary>
public sealed class AgentPagesBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, ".artifacts", "screenshots");

    private readonly IvrApp _app = AgentTestApp.Create();
    private readonly string _callId = "call-" + Guid.NewGuid().ToString("N")[..8];
    private HeadlessChromium? _chromium;
    private CdpPage? _page;
    private string _baseUrl = "";

    private CdpPage Page => _page ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        // Not UseKestrel(0): that overload races the app's own bind (see Scenarios/LiveSystem).
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseUrl = new Uri(address).GetLeftPart(UriPartial.Authority).TrimEnd('/');
        _chromium = await HeadlessChromium.StartAsync();
        _page = await _chromium.OpenPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_page is not null) await _page.DisposeAsync();
        if (_chromium is not null) await _chromium.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task AgentPage_OpenBeforeTheTransfer_ShowsTheCardWithoutAReload()
    {
        await Page.SetViewportAsync(412, 915, mobile: true);
        await Page.NavigateAsync($"{_baseUrl}/api/agents/{AgentTestApp.DutyAgent}?{AgentTestApp.AgentQuery(AgentTestApp.DutyAgent)}");
        await Page.WaitForAsync("document.getElementById('status').textContent === 'Up to date.'", TimeSpan.FromSeconds(30));
        await Page.EvaluateAsync("window.__sameDocument = true");
        Assert.Equal(0, (await Page.EvaluateAsync("document.querySelectorAll('.card').length"))!.GetValue<int>());

        await PhoneCall.UntilTransferAsync(_app, _callId);
        var shownAfter = await Page.WaitForAsync("document.querySelectorAll('.card').length > 0", TimeSpan.FromSeconds(20));

        output.WriteLine($"card shown {shownAfter.TotalMilliseconds:0} ms after the transfer answer");
        var card = (await Page.EvaluateAsync("document.querySelector('.card').innerText"))!.GetValue<string>();
        Assert.Contains("Jan Kowalski, Hurtownia Kowalski", card, StringComparison.Ordinal);
        Assert.Contains(_callId, card, StringComparison.Ordinal);
        Assert.Contains("ZS/2026/000777", card, StringComparison.Ordinal);
        Assert.True((await Page.EvaluateAsync("window.__sameDocument === true"))!.GetValue<bool>(), "the page reloaded");
        await Page.ScreenshotAsync(Path.Combine(Screenshots, "agent-page.png"));
    }

    [Fact]
    public async Task AgentPage_LoginWithPolishLettersAndAnAt_CookieCarriesThePollsAndTheCardAppears()
    {
        // The polls carry no token: only a cookie whose Path fits the path the browser sends (percent-encoded) opens them.
        const string login = "a.wiśniewska@pbx";
        var caller = AgentTestApp.Caller with { AccountManager = new AccountManager { Login = login, Name = "Anna Wiśniewska" } };
        _app.Erp.Setup(e => e.FindContactByPhoneAsync(It.IsAny<string?>(), It.IsAny<CancellationToken>())).ReturnsAsync(caller);
        _app.Erp.Setup(e => e.GetContactAsync(caller.Id, It.IsAny<CancellationToken>())).ReturnsAsync(caller);
        await Page.NavigateAsync(_baseUrl + AgentTestApp.AgentLink(login));
        await Page.WaitForAsync("document.getElementById('status').textContent === 'Up to date.'", TimeSpan.FromSeconds(30));

        await PhoneCall.UntilTransferAsync(_app, _callId);
        await Page.WaitForAsync("document.querySelectorAll('.card').length > 0", TimeSpan.FromSeconds(20));

        Assert.Contains(_callId, (await Page.EvaluateAsync("document.querySelector('.card').innerText"))!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallLogPage_FinishedCall_ShowsEveryStep()
    {
        var answers = await PhoneCall.UntilTransferAsync(_app, _callId);
        await PhoneCall.AnsweredAsync(_app, _callId, answers[^1]);
        var entries = await _app.Services.GetRequiredService<ICallLog>().ReadAsync(_callId);
        await Page.SetViewportAsync(1100, 800, mobile: false);

        await Page.NavigateAsync(_baseUrl + AgentTestApp.CallLogLink(_callId));

        var rows = (await Page.EvaluateAsync("document.querySelectorAll('table.steps tbody tr').length"))!.GetValue<int>();
        var text = (await Page.EvaluateAsync("document.body.innerText"))!.GetValue<string>();
        Assert.Equal(answers.Count + 1, entries.Count);
        Assert.Equal(entries.Count, rows);
        Assert.All(entries, e => Assert.Contains(e.Action, text, StringComparison.Ordinal));
        await Page.ScreenshotAsync(Path.Combine(Screenshots, "call-log.png"));
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData("another-agent")]
    [InlineData("none")]
    public async Task AgentPage_WithoutAccess_ShowsNoCard(string access)
    {
        await PhoneCall.UntilTransferAsync(_app, _callId);
        var query = access switch
        {
            "wrong-token" => "?t=not-a-token",
            "another-agent" => "?" + AgentTestApp.AgentQuery("am_other"),
            _ => "",
        };

        await Page.NavigateAsync($"{_baseUrl}/api/agents/{AgentTestApp.DutyAgent}{query}");
        await Task.Delay(1500);

        var text = (await Page.EvaluateAsync("document.body.innerText"))!.GetValue<string>();
        Assert.Contains("No access", text, StringComparison.Ordinal);
        Assert.Equal(0, (await Page.EvaluateAsync("document.querySelectorAll('.card').length"))!.GetValue<int>());
        Assert.DoesNotContain("Kowalski", text, StringComparison.Ordinal);
        Assert.DoesNotContain(_callId, text, StringComparison.Ordinal);
    }
}
