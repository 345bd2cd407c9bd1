using System.Globalization;
using System.Text.RegularExpressions;
using FunctionsIvr.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Agents;

/// <summary>
/// The agent page (<c>GET /api/agents/{login}</c>, function AgentPage) and the cards it polls
/// (<c>GET /api/agents/{login}/cards?after=&lt;id&gt;</c>, function AgentCards). In Azure the Functions key guards
/// both; on top, each agent needs their own token: the link <c>?t=&lt;token&gt;</c> sets an HttpOnly, SameSite=Strict
/// cookie for the agent's own path. Many PBX setups have agents without Entra accounts, so a signed link is what
/// works everywhere; Entra sign-in (App Service authentication) is the upgrade path.
/// </summary>
public static partial class AgentPageApi
{
    public const string PageFunction = "AgentPage";
    public const string CardsFunction = "AgentCards";
    public const string PageRoute = "/api/agents/{login}";
    public const string CardsRoute = "/api/agents/{login}/cards";

    public static IEndpointRouteBuilder MapAgentPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(PageRoute, PageAsync).WithName(PageFunction);
        app.MapGet(CardsRoute, CardsAsync).WithName(CardsFunction);
        return app;
    }

    /// <summary>
    /// What a PBX login may look like here: letters (Polish ones too), digits, <c>. _ - @</c>, at most 64. The ERP and
    /// the settings name logins unchecked, so a login like <c>a.wisniewska@pbx</c> must open its page.
    /// </summary>
    [GeneratedRegex(@"^[\p{L}\p{N}._@-]{1,64}$")]
    private static partial Regex LoginPattern();

    /// <summary>
    /// The page's path as its link spells it (every character outside <c>A–Z a–z 0–9 - . _ ~</c> percent-encoded), which
    /// is the path the browser then sends, its polls included: the cookie's Path must be that same text.
    /// </summary>
    internal static string PagePath(string login) => "/api/agents/" + Uri.EscapeDataString(login);

    private static async Task<IResult> PageAsync(
        string login, HttpContext http, AgentAccess access, IAgentCardStore store, IOptions<AgentOptions> options, ILoggerFactory loggers)
    {
        if (!LoginPattern().IsMatch(login)) return Results.NotFound();
        var given = http.Request.Query[LinkTokens.TokenParameter].FirstOrDefault();
        var (token, expires) = given is not null
            ? (given, http.Request.Query[LinkTokens.ExpiryParameter].FirstOrDefault())
            : AgentAccess.FromCookie(http.Request.Cookies[AccessCheckCookie]);
        var check = access.Check(login, token, expires);
        if (check != AccessCheck.Granted)
        {
            Log.Refused(loggers.CreateLogger(typeof(AgentPageApi)), login, check);
            return Denied(login, check);
        }

        if (given is not null)
        {
            http.Response.Cookies.Append(AccessCheckCookie, AgentAccess.CookieValue(given, expires), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = CameOverHttps(http.Request),
                Path = PagePath(login),
                MaxAge = access.CookieLifetime(expires),
            });
        }

        var cards = (await store.ListAsync(login, 0, http.RequestAborted)).Take(options.Value.CardsShown).ToList();
        var e = HtmlPage.Encode;
        var body = $"""
            <h1>Calls for {e(login)}</h1>
            <p class="muted" id="status">Waiting for calls. New calls appear here on their own.</p>
            <section id="cards">{(cards.Count == 0 ? "<p class=\"muted\" id=\"empty\">No calls yet.</p>" : string.Concat(cards.Select(c => AgentCardHtml.Render(c))))}</section>
            """;
        var last = cards.Count == 0 ? 0 : cards[0].Id;
        return HtmlPage.Result($"Calls for {login}", body, PollScript(last, options.Value));
    }

    private static async Task<IResult> CardsAsync(string login, long? after, HttpContext http, AgentAccess access, IAgentCardStore store, IOptions<AgentOptions> options)
    {
        if (!LoginPattern().IsMatch(login)) return Results.NotFound();
        var cookie = http.Request.Cookies[AccessCheckCookie];
        var (token, expires) = cookie is not null
            ? AgentAccess.FromCookie(cookie)
            : (http.Request.Query[LinkTokens.TokenParameter].FirstOrDefault(), http.Request.Query[LinkTokens.ExpiryParameter].FirstOrDefault());
        var check = access.Check(login, token, expires);
        if (check != AccessCheck.Granted)
        {
            return Results.Json(new { error = DeniedText(login, check) },
                statusCode: check == AccessCheck.Missing ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
        }

        http.Response.Headers.CacheControl = "no-store";
        var cards = (await store.ListAsync(login, after ?? 0, http.RequestAborted)).Take(options.Value.CardsShown);
        return TypedResults.Ok(new CardsResponse(cards.Select(c => new CardView(c.Id, c.CallId, AgentCardHtml.Render(c, isNew: true), c.ToText())).ToList()));
    }

    private const string AccessCheckCookie = AgentAccess.CookieName;

    /// <summary>
    /// In Azure the Functions host forwards the browser's HTTPS request to this handler over plain HTTP on loopback,
    /// so the scheme the agent used is in the front end's X-Forwarded-Proto. Without Secure there, the token cookie
    /// went out in clear text on any http:// request to the app (the redirect to https comes after it is sent).
    /// </summary>
    private static bool CameOverHttps(HttpRequest request) =>
        request.IsHttps || string.Equals(request.Headers["X-Forwarded-Proto"].ToString().Split(',')[0].Trim(), "https", StringComparison.OrdinalIgnoreCase);

    private static IResult Denied(string login, AccessCheck check)
    {
        var body = $"""
            <h1>No access</h1>
            <div class="denied"><p>{HtmlPage.Encode(DeniedText(login, check))}</p>
            <p class="muted">Ask your administrator for your personal link.</p></div>
            """;
        return HtmlPage.Result("No access", body, statusCode: check == AccessCheck.Missing ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
    }

    private static string DeniedText(string login, AccessCheck check) => check switch
    {
        AccessCheck.Missing => $"This page shows the calls of {login} only to {login}: open it with your personal link.",
        AccessCheck.NotConfigured => "Agent pages are not set up on this server (Agents:SigningKey is missing, or its Key Vault secret is).",
        AccessCheck.Expired => $"This link to the calls of {login} has expired.",
        _ => $"This link does not open the calls of {login}.",
    };

    /// <summary>
    /// Asks for new cards every <see cref="AgentOptions.PollMs"/> (polling passes the Functions front end as is; the
    /// page's own query, with the Functions key, is passed on), puts them on top and keeps the newest few.
    /// </summary>
    private static string PollScript(long lastId, AgentOptions options) => $$"""
        (function(){
          var last = {{lastId.ToString(CultureInfo.InvariantCulture)}}, keep = {{options.CardsShown.ToString(CultureInfo.InvariantCulture)}};
          var cards = document.getElementById('cards'), status = document.getElementById('status');
          var query = new URLSearchParams(location.search); query.delete('t'); query.delete('exp');
          function poll(){
            query.set('after', String(last));
            fetch(location.pathname.replace(/\/$/, '') + '/cards?' + query.toString(), {credentials:'same-origin', cache:'no-store'})
              .then(function(r){ if(!r.ok) throw new Error(r.status === 401 || r.status === 403 ? 'access' : 'http ' + r.status); return r.json(); })
              .then(function(data){
                status.textContent = 'Up to date.';
                var list = data.cards || [];
                if (list.length) { var empty = document.getElementById('empty'); if (empty) empty.remove(); }
                for (var i = list.length - 1; i >= 0; i--) {
                  var c = list[i];
                  if (c.id <= last) continue;
                  cards.querySelectorAll('.card.new').forEach(function(n){ n.classList.remove('new'); });
                  cards.insertAdjacentHTML('afterbegin', c.html);
                  last = c.id;
                }
                while (cards.querySelectorAll('.card').length > keep) cards.lastElementChild.remove();
              })
              .catch(function(err){ status.textContent = err.message === 'access' ? 'Access was withdrawn; reopen your link.' : 'Connection lost, retrying…'; })
              .finally(function(){ setTimeout(poll, {{options.PollMs.ToString(CultureInfo.InvariantCulture)}}); });
          }
          poll();
        })();
        """;

    public sealed record CardsResponse(IReadOnlyList<CardView> Cards);

    public sealed record CardView(long Id, string CallId, string Html, string Text);
}
