namespace FunctionsIvr.Hosting;

/// <summary>Settings shared by the app's outgoing HTTP clients (ERP, helpdesk, WhatsApp).</summary>
internal static class OutboundHttp
{
    /// <summary>
    /// Turns off following redirects on the handler the client factory built, keeping its other defaults. HttpClient
    /// drops only <c>Authorization</c> on a redirect: an API key in its own header, and for 307/308 the body of a write,
    /// would go to whatever host the answer names. A 3xx then reaches the caller of the client as a failure.
    /// </summary>
    public static void NoRedirects(HttpMessageHandler handler, IServiceProvider services)
    {
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }
}
