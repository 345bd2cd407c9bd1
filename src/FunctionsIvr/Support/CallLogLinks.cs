using FunctionsIvr.Hosting;

namespace FunctionsIvr.Support;

/// <summary>The call log page's links: <c>/api/calls/{id}?t=&lt;token&gt;</c>, the token bound to that one call.</summary>
public static class CallLogLinks
{
    public static string PathFor(string callId) => "/api/calls/" + Uri.EscapeDataString(callId);

    /// <summary>The signed path, or the bare path when no usable signing key is set (the page then refuses it).</summary>
    public static string LinkFor(string callId, string? signingKey) =>
        LinkTokens.IsUsableKey(signingKey) ? PathFor(callId) + "?t=" + TokenFor(callId, signingKey!) : PathFor(callId);

    public static string TokenFor(string callId, string signingKey) => LinkTokens.Derive(signingKey, "call:" + callId);

    public static bool IsValid(string callId, string? token, string? signingKey) =>
        LinkTokens.IsUsableKey(signingKey) && LinkTokens.Matches(token, TokenFor(callId, signingKey!));

    /// <summary>
    /// The call a link's <c>{id}</c> names, when its token opens it; null otherwise. The web server decodes every escape
    /// in a path except <c>%2F</c>, so the id of a call whose UniqueCallId holds a <c>/</c> arrives with <c>%2F</c> in
    /// it: the token tells which of the two readings it was signed for.
    /// </summary>
    public static string? CallIdOpenedBy(string routeId, string? token, string? signingKey)
    {
        if (IsValid(routeId, token, signingKey)) return routeId;
        var slashes = routeId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return slashes != routeId && IsValid(slashes, token, signingKey) ? slashes : null;
    }
}
