using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Ivr;

/// <summary>Keeps every formatted log line, so tests can check what reaches the logs (and what must not).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    public string AllText => string.Join('\n', _entries.Select(e => e.Message));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message);

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider._entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception)));
    }
}
