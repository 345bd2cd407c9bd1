using System.Reflection;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Hosting;

/// <summary>
/// The person on call filters the logs by EventId (docs/telemetry.md, "Event ids"): an id that two different
/// messages share mixes unrelated lines into that filter.
/// </summary>
public class LogEventIdsTests
{
    private const BindingFlags AnyMethod =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void EachEventId_IsUsedByOneMessageOnly()
    {
        var events = typeof(Program).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(AnyMethod))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .Select(e => new LogEvent($"{e.Method.DeclaringType!.FullName!.Replace('+', '.')}.{e.Method.Name}", e.Attribute!.EventId, e.Attribute.Message))
            .ToList();

        // Guards the reflection: finding no log methods at all would pass vacuously.
        Assert.True(events.Count >= 50, $"found only {events.Count} [LoggerMessage] methods in the FunctionsIvr assembly");

        var shared = events
            .GroupBy(e => e.EventId)
            .Where(sameId => sameId.Select(e => e.Message).Distinct(StringComparer.Ordinal).Count() > 1)
            .OrderBy(sameId => sameId.Key)
            .Select(sameId => $"{sameId.Key}: {string.Join("; ", sameId.Select(e => $"{e.Method} \"{e.Message}\""))}")
            .ToList();

        Assert.True(shared.Count == 0,
            "Event ids used by different messages (each feature area has its own block, see docs/telemetry.md):"
            + Environment.NewLine + string.Join(Environment.NewLine, shared));
    }

    private sealed record LogEvent(string Method, int EventId, string Message);
}
