using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FunctionsIvr.Tests.Faults;

public sealed class CuttableTcpProxyTests
{
    [Fact]
    public async Task Hang_OpenAndNewConnectionsHeldOpenWithoutAnswers_RestoreDeliversWhatWasHeld()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = CuttableTcpProxy.Start(echo.Port);
        using var open = await ConnectAsync(proxy.Port);
        await SendAsync(open, "before ");
        Assert.Equal("before ", await ReceiveAsync(open, "before ".Length));

        proxy.Hang();
        using var late = await ConnectAsync(proxy.Port); // still accepted
        await SendAsync(open, "held-1");
        await SendAsync(late, "held-2");
        var openAnswer = ReceiveAsync(open, "held-1".Length);
        var lateAnswer = ReceiveAsync(late, "held-2".Length);
        await Task.WhenAny(openAnswer, lateAnswer, Task.Delay(500));

        // Nothing came back and nothing was closed: a read that ended would have completed the task.
        Assert.False(openAnswer.IsCompleted, "an open connection answered (or was closed) while the proxy hung");
        Assert.False(lateAnswer.IsCompleted, "a new connection answered (or was closed) while the proxy hung");
        Assert.DoesNotContain("held", echo.Received, StringComparison.Ordinal);

        proxy.Restore();
        Assert.Equal("held-1", await openAnswer.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("held-2", await lateAnswer.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Cut_NewConnectionsRefused_RestoreListensAgainOnTheSamePort()
    {
        await using var echo = EchoServer.Start();
        await using var proxy = CuttableTcpProxy.Start(echo.Port);

        proxy.Cut();
        await Assert.ThrowsAnyAsync<SocketException>(() => ConnectAsync(proxy.Port));
        proxy.Restore();
        using var client = await ConnectAsync(proxy.Port);
        await SendAsync(client, "again");

        Assert.Equal("again", await ReceiveAsync(client, "again".Length).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<TcpClient> ConnectAsync(int port)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static Task SendAsync(TcpClient client, string text) => client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads exactly <paramref name="length"/> bytes; fails when the connection ends first.</summary>
    private static async Task<string> ReceiveAsync(TcpClient client, int length)
    {
        var buffer = new byte[length];
        await client.GetStream().ReadExactlyAsync(buffer);
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Sends back whatever it receives, and remembers it.</summary>
    private sealed class EchoServer : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly StringBuilder _received = new();
        private Task? _accepting;

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string Received
        {
            get
            {
                lock (_received) return _received.ToString();
            }
        }

        public static EchoServer Start()
        {
            var server = new EchoServer();
            server._listener.Start();
            server._accepting = server.AcceptAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            if (_accepting is not null) await _accepting;
        }

        private async Task AcceptAsync()
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }
                _ = Task.Run(() => EchoAsync(client));
            }
        }

        private async Task EchoAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var buffer = new byte[1024];
                try
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer)) > 0)
                    {
                        lock (_received) _received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        await stream.WriteAsync(buffer.AsMemory(0, read));
                    }
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                }
            }
        }
    }
}
