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
}
