using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace FunctionsIvr.Hosting;

/// <summary>Where the handler listens when the Azure Functions host starts it.</summary>
public static class CustomHandlerHosting
{
    /// <summary>Set by the Functions host for the process it starts: the loopback port it sends invocations to.</summary>
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>
    /// When <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> is set, listen on <c>127.0.0.1</c> at that port only (it replaces
    /// <c>--urls</c>/<c>ASPNETCORE_URLS</c>/<c>ASPNETCORE_HTTP_PORTS</c>); otherwise leave those in charge.
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable is set but is not a TCP port number.</exception>
    public static WebApplicationBuilder UseCustomHandlerPort(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var value = builder.Configuration[PortVariable];
        if (string.IsNullOrWhiteSpace(value)) return builder;
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException(
                $"{PortVariable} must be a TCP port number between 1 and 65535, but it is '{value}'. The Azure Functions host sets it; unset it to use --urls instead.");
        }
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        return builder;
    }

    /// <summary>
    /// Kestrel runs a request's code on the thread pool thread that read it from the socket, instead of queueing it to
    /// another: one hand-over less per callback, 4–9 % more callbacks per second on two cores (docs/performance.md).
    /// "Unsafe" because code that blocks would hold up that thread; nothing on the request path blocks (it awaits the
    /// ERP, storage and the queue), and the socket's own completions stay on the thread pool, so a slow request still
    /// cannot stall the socket engine.
    /// </summary>
    public static WebApplicationBuilder RunRequestsOnTheReadingThread(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        return builder;
    }
}
