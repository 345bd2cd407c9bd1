using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace FunctionsIvr.Ivr;

/// <summary>
/// Writes the platform's answer: <c>{"Action":{"Type":…,&lt;parameters as strings, in order&gt;},"Session":{…}}</c>,
/// PascalCase exactly, Session left out when there is none, UTF-8 without a BOM. Non-ASCII and HTML-sensitive
/// characters are written as \u escapes, which every JSON reader accepts whatever text encoding it assumes.
/// </summary>
public static class IvrResponseWriter
{
    public const string ContentType = "application/json; charset=utf-8";

    public static byte[] ToUtf8Json(IvrAction action, JsonObject? session)
    {
        ArgumentNullException.ThrowIfNull(action);
        Validate(action);

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Action");
            writer.WriteString("Type", action.Type);
            foreach (var (name, value) in action.Parameters)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
            if (session is not null)
            {
                writer.WritePropertyName("Session");
                session.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static async Task WriteAsync(HttpResponse response, IvrAction action, JsonObject? session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        await WriteBodyAsync(response, ToUtf8Json(action, session), cancellationToken);
    }

    internal static async Task WriteBodyAsync(HttpResponse response, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
    }

    /// <summary>An action the platform would reject is a bug on our side: fail here, where the engine's fallback can catch it.</summary>
    private static void Validate(IvrAction action)
    {
        if (!IvrActionTypes.All.Contains(action.Type))
        {
            throw new ArgumentException($"'{action.Type}' is not an IVR action type.", nameof(action));
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Type" };
        foreach (var (name, value) in action.Parameters)
        {
            if (string.IsNullOrWhiteSpace(name) || !names.Add(name))
            {
                throw new ArgumentException($"The {action.Type} action has an empty or repeated parameter name '{name}'.", nameof(action));
            }

            ArgumentNullException.ThrowIfNull(value, $"{action.Type}.{name}");
        }
    }
}
