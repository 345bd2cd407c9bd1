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

    [ThreadStatic] private static ThreadJsonWriter? t_answer;

    public static byte[] ToUtf8Json(IvrAction action, JsonObject? session) => Write(action, session, signedSession: null);

    /// <param name="signedSession">The Session as <see cref="SessionCodec.EncodeToUtf8"/> wrote it, put in as it is.</param>
    public static byte[] ToUtf8JsonWithSignedSession(IvrAction action, byte[] signedSession) => Write(action, session: null, signedSession);

    private static byte[] Write(IvrAction action, JsonObject? session, byte[]? signedSession)
    {
        ArgumentNullException.ThrowIfNull(action);
        Validate(action);

        var json = ThreadJsonWriter.For(ref t_answer);
        var writer = json.Json;
        writer.WriteStartObject();
        writer.WriteStartObject("Action");
        writer.WriteString("Type", action.Type);
        // Indexed: a foreach over the interface would allocate an enumerator on every answer.
        var parameters = action.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            writer.WriteString(parameters[i].Key, parameters[i].Value);
        }

        writer.WriteEndObject();
        if (session is not null)
        {
            writer.WritePropertyName("Session");
            session.WriteTo(writer);
        }
        else if (signedSession is not null)
        {
            writer.WritePropertyName("Session");
            writer.WriteRawValue(signedSession, skipInputValidation: true);
        }

        writer.WriteEndObject();
        writer.Flush();
        return json.Buffer.WrittenSpan.ToArray();
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

        // A handful of parameters at most: compared pairwise rather than through a set built per answer.
        var parameters = action.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            var (name, value) = parameters[i];
            if (string.IsNullOrWhiteSpace(name) || IsRepeated(name, i))
            {
                throw new ArgumentException($"The {action.Type} action has an empty or repeated parameter name '{name}'.", nameof(action));
            }

            // Not ThrowIfNull: its parameter name would be built for every parameter of every answer.
            if (value is null) throw new ArgumentNullException($"{action.Type}.{name}");
        }

        bool IsRepeated(string name, int index)
        {
            if (string.Equals(name, "Type", StringComparison.OrdinalIgnoreCase)) return true;
            for (var j = 0; j < index; j++)
            {
                if (string.Equals(parameters[j].Key, name, StringComparison.OrdinalIgnoreCase)) return true;
            }

            return false;
        }
    }
}
