using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace FunctionsIvr.Tests.Faults;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of a service (Azurite, an SMTP server, the Service Bus fake) that a drill can cut
/// or hang. <see cref="Cut"/> closes the listening socket (new connections are refused) and resets every open
/// connection, as a service that goes down does. <see cref="Hang"/> makes it a black hole, as a stalled service or a
/// silently dropping network is: connections are still accepted and what clients send is still read, but nothing is
/// forwarded and nothing comes back, on new and open connections alike, and nobody's connection is closed. A client that
/// gives up while it hangs takes its unsent bytes with it. <see cref="Restore"/> lifts either: held connections go on
/// where they stopped (what was held is delivered, answers flow), and a cut proxy listens again on the same port.
/// The service behind keeps its data.
/// </summary>
internal sealed class CuttableTcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _listening;
    private volatile TaskCompletionSource _flowing = Flowing();

    private CuttableTcpProxy(IPEndPoint target)
    {
        _target = target;
    }

    public int Port { get; private set; }

    public bool IsCut { get; private set; }

    public bool IsHung => !_flowing.Task.IsCompleted;

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

    /// <summary>From now on nothing passes either way until <see cref="Restore"/>; connections stay open.</summary>
    public void Hang()
    {
        lock (_gate)
        {
            if (!IsHung) _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            _flowing.TrySetResult();
            if (!IsCut) return;
            Listen(Port);
            IsCut = false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        // Relays held by a hang wake up and find their sockets closed.
        _flowing.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
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
        lock (_gate)
        {
            if (IsCut)
            {
                inbound.Dispose();
                return;
            }
            _open.Add(inbound);
        }

        var outbound = new TcpClient();
        try
        {
            var a = inbound.GetStream();
            // The client's bytes are read from the start, hang or not, so its sends complete as they would on a live service.
            var fromClient = Channel.CreateUnbounded<byte[]>();
            var reading = ReadAsync(a, fromClient.Writer);

            // A connection made while hung is held here: accepted, read, and not passed on.
            if (await Task.WhenAny(reading, _flowing.Task) == reading && IsHung) return;
            try
            {
                await outbound.ConnectAsync(_target);
            }
            catch (SocketException)
            {
                return;
            }

            lock (_gate)
            {
                if (IsCut) return;
                _open.Add(outbound);
            }

            var b = outbound.GetStream();
            var up = ForwardAsync(fromClient.Reader, b);
            var down = PumpAsync(b, a);
            // Either direction ending ends the connection, as a cut would; a client leaving during a hang ends it at once.
            var first = await Task.WhenAny(reading, up, down);
            if (first == reading && !IsHung) await Task.WhenAny(up, down);
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

    private static async Task ReadAsync(NetworkStream from, ChannelWriter<byte[]> to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0) to.TryWrite(buffer[..read]);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            to.TryComplete();
        }
    }

    /// <summary>Client to service: each chunk waits while the proxy hangs.</summary>
    private async Task ForwardAsync(ChannelReader<byte[]> from, NetworkStream to)
    {
        try
        {
            await foreach (var chunk in from.ReadAllAsync())
            {
                await _flowing.Task;
                await to.WriteAsync(chunk);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
    }

    /// <summary>Service to client: an answer (or the service closing) is held while the proxy hangs.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer);
                await _flowing.Task;
                if (read == 0) return;
                await to.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
    }
}
