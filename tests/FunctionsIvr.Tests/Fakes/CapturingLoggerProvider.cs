using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Fakes;

/// <summary>Keeps every log line, with its level, event id, structured values and the scopes active when it was written.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogLine> lines = new();
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogLine> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogLine(
        string Category,
        LogLevel Level,
        EventId EventId,
        string Message,
        Exception? Exception,
        IReadOnlyDictionary<string, object?> Values,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> Scopes)
    {
        /// <summary>A value from the line itself or from any scope around it, as text.</summary>
        public string? Find(string name)
        {
            if (Values.TryGetValue(name, out var value)) return value?.ToString();
            foreach (var scope in Scopes)
            {
                if (scope.TryGetValue(name, out value)) return value?.ToString();
            }
            return null;
        }
    }

    private static Dictionary<string, object?> ToValues(object? state)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs) values[key] = value;
        }
        return values;
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<IReadOnlyDictionary<string, object?>>();
            owner.scopes.ForEachScope((scope, list) => list.Add(ToValues(scope)), scopes);
            owner.lines.Enqueue(new LogLine(category, logLevel, eventId, formatter(state, exception), exception, ToValues(state), scopes));
        }
    }
}
