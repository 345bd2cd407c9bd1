using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FunctionsIvr.Tests.Escalations;

/// <summary>
/// An SMTP server on 127.0.0.1 (random port) speaking just enough SMTP for SmtpClient: greeting, EHLO/HELO,
/// AUTH LOGIN/PLAIN (advertised only when a login is required), MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET,
/// NOOP, QUIT. Accepted messages are stored before the final 250, so they are readable as soon as the send returns.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly (string User, string Password)? _login;

    private SmtpTestServer((string User, string Password)? login)
    {
        _login = login;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public static SmtpTestServer Start((string User, string Password)? login = null) => new(login);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    public ConcurrentQueue<string> AuthenticatedUsers { get; } = new();

    /// <summary>When set, every RCPT TO gets this answer, e.g. <c>550 5.1.1 No such user</c>.</summary>
    public string? RecipientReply { get; set; }

    /// <summary>When set, the end of DATA gets this answer instead of accepting, e.g. <c>451 4.3.0 Try later</c>.</summary>
    public string? DataReply { get; set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await ConverseAsync(client.GetStream());
            }
            catch (IOException)
            {
                // The client hung up.
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task ConverseAsync(NetworkStream stream)
    {
        // Latin-1 maps bytes 1:1, so the raw message survives whatever the client encodes.
        using var reader = new StreamReader(stream, Encoding.Latin1, detectEncodingFromByteOrderMarks: false);
        var token = _stop.Token;
        async Task Reply(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), token);
        async Task<string?> ReadLine() => await reader.ReadLineAsync(token);

        string? from = null;
        var recipients = new List<string>();
        var authenticated = false;
        await Reply("220 localhost test SMTP ready");
        while (await ReadLine() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
            switch (verb)
            {
                case "EHLO":
                    if (_login is null)
                    {
                        await Reply("250-localhost");
                        await Reply("250 HELP");
                    }
                    else
                    {
                        await Reply("250-localhost");
                        await Reply("250 AUTH LOGIN PLAIN");
                    }

                    break;
                case "HELO":
                    await Reply("250 localhost");
                    break;
                case "AUTH":
                    authenticated = await AuthenticateAsync(argument, Reply, ReadLine);
                    break;
                case "MAIL":
                    if (_login is not null && !authenticated)
                    {
                        await Reply("530 5.7.0 Authentication required");
                        break;
                    }

                    from = Address(argument);
                    recipients.Clear();
                    await Reply("250 2.1.0 OK");
                    break;
                case "RCPT":
                    if (RecipientReply is { } rejection)
                    {
                        await Reply(rejection);
                        break;
                    }

                    recipients.Add(Address(argument));
                    await Reply("250 2.1.5 OK");
                    break;
                case "DATA":
                    if (from is null || recipients.Count == 0)
                    {
                        await Reply("503 5.5.1 MAIL and RCPT first");
                        break;
                    }

                    await Reply("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await ReadLine() is { } dataLine && dataLine != ".")
                        data.Append(dataLine.StartsWith('.') ? dataLine[1..] : dataLine).Append("\r\n");
                    if (DataReply is { } dataReply)
                    {
                        await Reply(dataReply);
                    }
                    else
                    {
                        Messages.Enqueue(new ReceivedMail(from, recipients.ToArray(), data.ToString()));
                        await Reply("250 2.0.0 Queued");
                    }

                    from = null;
                    recipients.Clear();
                    break;
                case "RSET":
                    from = null;
                    recipients.Clear();
                    await Reply("250 2.0.0 OK");
                    break;
                case "NOOP":
                    await Reply("250 2.0.0 OK");
                    break;
                case "QUIT":
                    await Reply("221 2.0.0 Bye");
                    return;
                default:
                    await Reply("502 5.5.2 Command not recognized");
                    break;
            }
        }
    }

    private async Task<bool> AuthenticateAsync(string argument, Func<string, Task> reply, Func<Task<string?>> readLine)
    {
        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 0 ? parts[0].ToUpperInvariant() : "";
        string user, password;
        if (mechanism == "LOGIN")
        {
            if (parts.Length > 1)
            {
                user = FromBase64(parts[1]);
            }
            else
            {
                await reply("334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes("Username:")));
                user = FromBase64(await readLine() ?? "");
            }

            await reply("334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes("Password:")));
            password = FromBase64(await readLine() ?? "");
        }
        else if (mechanism == "PLAIN")
        {
            string response;
            if (parts.Length > 1)
            {
                response = parts[1];
            }
            else
            {
                await reply("334 ");
                response = await readLine() ?? "";
            }

            var fields = FromBase64(response).Split('\0');
            (user, password) = fields.Length == 3 ? (fields[1], fields[2]) : ("", "");
        }
        else
        {
            await reply("504 5.5.4 Unrecognized authentication type");
            return false;
        }

        if (_login is { } login && login.User == user && login.Password == password)
        {
            AuthenticatedUsers.Enqueue(user);
            await reply("235 2.7.0 Authentication successful");
            return true;
        }

        await reply("535 5.7.8 Authentication credentials invalid");
        return false;
    }

    private static string FromBase64(string value)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    /// <summary><c>FROM:&lt;a@b&gt; SIZE=1</c> → <c>a@b</c>.</summary>
    private static string Address(string argument)
    {
        var start = argument.IndexOf('<', StringComparison.Ordinal);
        var end = argument.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? argument[(start + 1)..end] : argument;
    }
}

/// <summary>One accepted message: the envelope and the raw content (dot-unstuffed), parsed on demand.</summary>
internal sealed record ReceivedMail(string From, IReadOnlyList<string> Recipients, string Raw)
{
    private MimeEntity? _parsed;

    public MimeEntity Mime => _parsed ??= MimeEntity.Parse(Raw);

    public string? Subject => Mime.DecodedHeader("Subject");

    public string? MessageId => Mime.Header("Message-ID");

    public string? TextBody => Mime.Leaves().FirstOrDefault(p => p.MediaType == "text/plain")?.DecodedBody();

    public string? HtmlBody => Mime.Leaves().FirstOrDefault(p => p.MediaType == "text/html")?.DecodedBody();
}
