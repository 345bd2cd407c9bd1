using FunctionsIvr.Hosting;

namespace FunctionsIvr.Support;

/// <summary>
/// The call log page's links: <c>/api/calls/{id}?exp=&lt;unix seconds&gt;&amp;t=&lt;token&gt;</c>, the token bound to
/// that one call and that expiry.
/// </summary>
public static class CallLogLinks
{
    public static string PathFor(string callId) => "/api/calls/" + Uri.EscapeDataString(callId);

    /// <summary>The signed path, or the bare path when no usable signing key is set (the page then refuses it).</summary>
    public static string LinkFor(string callId, string? signingKey, DateTimeOffset expires) =>
        LinkTokens.IsUsableKey(signingKey) ? PathFor(callId) + LinkTokens.Query(signingKey!, Value(callId), expires) : PathFor(callId);

    /// <summary>
    /// The call a link's <c>{id}</c> names when its token opens it (null otherwise), and what the check found. The web
    /// server decodes every escape in a path except <c>%2F</c>, so the id of a call whose UniqueCallId holds a <c>/</c>
    /// arrives with <c>%2F</c> in it: the token tells which of the two readings it was signed for.
    /// </summary>
    public static (string? CallId, LinkCheck Check) CallIdOpenedBy(
        string routeId, string? token, string? expires, string signingKey, DateTimeOffset now, TimeSpan lifetime)
    {
        var check = LinkTokens.Check(signingKey, Value(routeId), token, expires, now, lifetime);
        if (check == LinkCheck.Valid) return (routeId, check);
        var slashes = routeId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (slashes == routeId) return (null, check);
        var other = LinkTokens.Check(signingKey, Value(slashes), token, expires, now, lifetime);
        return other == LinkCheck.Valid ? (slashes, other) : (null, other == LinkCheck.Expired ? other : check);
    }

    private static string Value(string callId) => "call:" + callId;
}
