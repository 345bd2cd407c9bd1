using System.Net;
using System.Net.Sockets;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a service (Azurite, an SMTP server, the Service Bus fake) that a drill can cut:
/// <see cref="Cut"/> closes the listening socket (new connections are refused) and resets every open connection, as a
/// service that goes down does; <see cref="Restore"/> listens again on the same port. The service behind keeps its data.
/// </summary>
internal sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _listening;

    private CuttableTcpProxy(IPEndPoint target)
    {
        _target = target;
    }

    public int Port { get; private set; }

    public bool IsCut { get; private set; }

    public static CuttableTcpProxy Start(int targetPort)
    {
        var proxy = new CuttableTcpProxy(new IPEndPoint(IPAddress.Loopback, targetPort));
        proxy.Listen(port: 0);
        return proxy;
    }

    public void Cut()
    {
        lock (_gate)
        {
            IsCut = true;
            _listening?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var client in _open)
            {
                // Linger 0: the peer sees a reset, not a polite close.
                try
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                }
                catch (ObjectDisposedException)
                {
                }
                catch (SocketException)
                {
                }
                client.Dispose();
            }
            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            if (!IsCut) return;
            Listen(Port);
            IsCut = false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _listening = new CancellationTokenSource();
        _ = AcceptLoopAsync(listener, _listening.Token);
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(inbound), CancellationToken.None);
        }
    }

    private async Task RelayAsync(TcpClient inbound)
    {
        var outbound = new TcpClient();
        try
        {
            await outbound.ConnectAsync(_target);
        }
        catch (SocketException)
        {
            inbound.Dispose();
            outbound.Dispose();
            return;
        }

        lock (_gate)
        {
            if (IsCut)
            {
                inbound.Dispose();
                outbound.Dispose();
                return;
            }
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            // Either direction ending ends the connection, as a cut would.
            await Task.WhenAny(CopyAsync(a, b), CopyAsync(b, a));
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    private static async Task CopyAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
    }
}
