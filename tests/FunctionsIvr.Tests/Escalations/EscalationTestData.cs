using System.Collections.Concurrent;
using FunctionsIvr.Escalations;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Escalations;

/// <summary>The escalations the tests send: a VIP company whose call nobody answered, and variations.</summary>
internal static class EscalationTestData
{
    public static readonly DateTimeOffset CallStarted = new(2025, 1, 15, 9, 3, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Raised = new(2025, 1, 15, 9, 5, 12, TimeSpan.Zero);

    public static Escalation VipNobodyAnswered(EscalationChannel preferred = EscalationChannel.Email) => new()
    {
        EscalationId = "nobody-answered-call-0001",
        Reason = EscalationReason.NobodyAnswered,
        Detail = "Agent 101 and the team queue did not answer.",
        CallId = "call-0001",
        CallerNumber = "+48 600 100 789",
        ContactId = "C-1002",
        ContactName = "Jan Kowalski",
        Company = "Budmax S.A.",
        Segment = "VIP",
        Step = "transfer_queue",
        OrderId = "ZAM/2025/0042",
        TransactionId = "tx-7f3a",
        CallStartedAt = CallStarted,
        RaisedAt = Raised,
        Recipient = new EscalationRecipient
        {
            Name = "Anna Nowak",
            Email = "anna.nowak@example.com",
            WhatsAppNumber = "+48 600 200 300",
            PreferredChannel = preferred,
        },
    };

    public static EscalationDelivery EmailTo(Escalation escalation, string to = "anna.nowak@example.com") => new(escalation, to, "Anna Nowak");

    public static string NewTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "functionsivr-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Hands out one HttpClient with the given timeout, the way the named clients are configured.</summary>
internal sealed class TestHttpClientFactory(TimeSpan timeout) : IHttpClientFactory, IDisposable
{
    private readonly HttpClient _client = new() { Timeout = timeout };

    public HttpClient CreateClient(string name) => _client;

    public void Dispose() => _client.Dispose();
}

/// <summary>Keeps formatted log lines so a test can check what an operator would read.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, eventId, formatter(state, exception)));
}
