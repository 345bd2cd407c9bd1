using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Simulator.Platform;

/// <summary>
/// Checks an answer against the IVR API: HTTP 200, a JSON object with exactly one <c>Action</c> (PascalCase) of a
/// known <c>Type</c>, every parameter a JSON string, the parameters each type needs present and well-formed, and
/// <c>Session</c>, when present, an object.
/// </summary>
/// <param name="sayParameter">
/// The parameter name Say* actions carry their value in: one name for all four, or one per type
/// (<c>SayNumber=Number,SayDigits=Digits,SayDate=Date,SayTime=Time</c>). The platform does not publish it; when null,
/// a Say* action must carry exactly one parameter, of any name another action does not use.
/// </param>
public sealed partial class ResponseValidator(string? sayParameter = null)
{
    /// <summary>Vendor advice is to keep Session small; above this it is flagged as a warning.</summary>
    public const int SessionWarningBytes = 1024;

    private static readonly string[] CallOptionFlags = ["PlayCallStatus", "RingTones"];

    private static readonly Dictionary<string, string[]> ParametersByType = new(StringComparer.Ordinal)
    {
        [ActionTypes.Answer] = [],
        [ActionTypes.DontAnswer] = [],
        [ActionTypes.Hangup] = [],
        [ActionTypes.Play] = ["Prompt"],
        [ActionTypes.Wait] = ["WaitTime"],
        [ActionTypes.GetDtmf] = ["Prompt", "Timeout", "MaxDigits"],
        [ActionTypes.CallExternalNumber] = ["Destination", "Options"],
        [ActionTypes.CallLocalNumber] = ["Destination", "Options"],
        [ActionTypes.CallByObjectLogin] = ["Destination", "Options"],
    };

    public string? SayParameter { get; } = sayParameter;

    private readonly Dictionary<string, string>? _sayParameterByType = SayParametersByType(sayParameter);

    /// <summary>Every parameter name of the other action types: a Say* value carried in one of them is a mistake.</summary>
    private static readonly HashSet<string> OtherActionsParameters =
        new(ParametersByType.Values.SelectMany(names => names).Append("Type"), StringComparer.OrdinalIgnoreCase);

    public ValidatedAnswer Validate(HttpAnswer http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var violations = new List<string>();
        var warnings = new List<string>();

        if (http.TransportError is not null)
        {
            return new ValidatedAnswer { Violations = [http.TransportError] };
        }

        var body = http.Body.AsMemory();
        if (http.StatusCode != 200)
        {
            violations.Add($"HTTP {http.StatusCode} ({DescribeBody(http)}): the platform needs 200 with an action and takes its fallback");
            return new ValidatedAnswer { Violations = violations };
        }

        CheckContentType(http.ContentType, violations);
        if (body.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            violations.Add("the body starts with a UTF-8 byte order mark: send JSON without a BOM");
            body = body[Encoding.UTF8.Preamble.Length..];
        }

        if (body.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            violations.Add("the body is empty: expected a JSON object with an Action");
            return new ValidatedAnswer { Violations = violations };
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            violations.Add($"the body is not valid UTF-8: {Snippet(body.Span)}");
            return new ValidatedAnswer { Violations = violations };
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            violations.Add($"the body is not JSON ({e.Message.Split('.')[0]}): {Snippet(body.Span)}");
            return new ValidatedAnswer { Violations = violations };
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            violations.Add($"the body is a JSON {Kind(root)}, expected an object with an Action");
            return new ValidatedAnswer { Body = root, Violations = violations };
        }

        // An escaped half of a surrogate pair (\uD800 alone) is well-formed JSON but no text: strict readers refuse it.
        if (body.Span.IndexOf("\\u"u8) >= 0 && FirstBrokenText(root) is { } broken)
        {
            violations.Add($"the body holds an escaped lone surrogate, which is not text: {broken}");
            return new ValidatedAnswer { Body = root, Violations = violations };
        }

        JsonElement? actionElement = null;
        JsonElement? session = null;
        var actions = 0;
        var sessions = 0;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "Action":
                    actions++;
                    actionElement = property.Value;
                    break;
                case "Session":
                    sessions++;
                    session = property.Value;
                    break;
                default:
                    if (string.Equals(property.Name, "Action", StringComparison.OrdinalIgnoreCase)
                        || string.Equals(property.Name, "Session", StringComparison.OrdinalIgnoreCase))
                    {
                        var expected = char.ToUpperInvariant(property.Name[0]) + property.Name[1..].ToLowerInvariant();
                        violations.Add($"'{property.Name}' has the wrong casing: the platform reads '{expected}'");
                        if (expected == "Action")
                        {
                            actionElement ??= property.Value;
                        }
                    }
                    else
                    {
                        violations.Add($"unexpected property '{property.Name}' next to Action and Session");
                    }

                    break;
            }
        }

        if (actions > 1)
        {
            violations.Add($"exactly one Action expected, found {actions}");
        }
        else if (actions == 0 && actionElement is null)
        {
            violations.Add("no Action in the answer");
        }

        if (sessions > 1)
        {
            violations.Add($"Session appears {sessions} times: which one the platform keeps depends on its JSON reader");
        }

        var action = actionElement is { } a ? ReadAction(a, violations, warnings) : null;
        var sessionToEcho = CheckSession(session, violations, warnings);
        return new ValidatedAnswer
        {
            Action = action,
            Session = sessionToEcho,
            Body = root,
            Violations = violations,
            Warnings = warnings,
        };
    }

    private static void CheckContentType(string? contentType, List<string> violations)
    {
        if (contentType is null)
        {
            violations.Add("no Content-Type: expected application/json");
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !string.Equals(media.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add($"Content-Type is '{contentType}', expected application/json");
            return;
        }

        var charset = media.CharSet?.Trim('"');
        if (charset is not null && !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase))
        {
            violations.Add($"charset is '{charset}', expected utf-8");
        }
    }

    private AnsweredAction? ReadAction(JsonElement element, List<string> violations, List<string> warnings)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            violations.Add($"Action is a JSON {Kind(element)}, expected an object with a Type");
            return null;
        }

        string? type = null;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "Type" || (type is null && string.Equals(property.Name, "Type", StringComparison.OrdinalIgnoreCase)))
            {
                if (property.Name != "Type")
                {
                    violations.Add($"'{property.Name}' has the wrong casing: the platform reads 'Type'");
                }

                if (type is not null)
                {
                    violations.Add("Action has two Type keys: which one the platform runs depends on its JSON reader");
                }

                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    violations.Add($"Action.Type must be a JSON string, got {Kind(property.Value)} {property.Value.GetRawText()}");
                }

                type = RawText(property.Value);
                continue;
            }

            if (parameters.Any(p => p.Key == property.Name))
            {
                violations.Add($"parameter '{property.Name}' appears twice");
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                violations.Add($"{property.Name} must be a JSON string, got {Kind(property.Value)} {property.Value.GetRawText()}");
            }

            parameters.Add(new(property.Name, RawText(property.Value)));
        }

        if (type is null)
        {
            violations.Add("Action has no Type");
            return null;
        }

        var action = new AnsweredAction(type, parameters);
        if (!ActionTypes.IsKnown(type))
        {
            var corrected = ActionTypes.CorrectCasing(type);
            violations.Add(corrected is not null
                ? $"Type '{type}' has the wrong casing: the platform knows '{corrected}'"
                : $"unknown action Type '{type}'");
            return action;
        }

        if (ActionTypes.IsSay(type))
        {
            CheckSay(action, violations, warnings);
        }
        else
        {
            CheckParameters(action, violations, warnings);
        }

        return action;
    }

    private static void CheckParameters(AnsweredAction action, List<string> violations, List<string> warnings)
    {
        var allowed = ParametersByType[action.Type];
        foreach (var (name, _) in action.Parameters)
        {
            if (allowed.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var corrected = allowed.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            violations.Add(corrected is not null
                ? $"'{name}' has the wrong casing: the platform reads '{corrected}'"
                : $"{action.Type} takes no parameter '{name}'");
        }

        switch (action.Type)
        {
            case ActionTypes.Play:
                RequireNumber(action, "Prompt", "a prompt number from the panel", violations);
                break;
            case ActionTypes.GetDtmf:
                RequireNumber(action, "Prompt", "a prompt number from the panel", violations);
                RequireNumber(action, "Timeout", "milliseconds for the next digit", violations);
                RequireNumber(action, "MaxDigits", "the most digits to collect", violations);
                // No limits are published: these say a unit was mixed up or a value makes no sense on a phone.
                WarnOutside(action, "Timeout", 1000, 60_000, "milliseconds: under a second looks like seconds sent as milliseconds", warnings);
                WarnOutside(action, "MaxDigits", 1, 32, "digits a caller keys in", warnings);
                break;
            case ActionTypes.Wait:
                RequireNumber(action, "WaitTime", "seconds", violations);
                WarnOutside(action, "WaitTime", 1, 60, "seconds: more looks like milliseconds sent as seconds", warnings);
                break;
            case ActionTypes.CallExternalNumber or ActionTypes.CallLocalNumber or ActionTypes.CallByObjectLogin:
                CheckCall(action, violations, warnings);
                break;
        }
    }

    private static void RequireNumber(AnsweredAction action, string name, string meaning, List<string> violations)
    {
        var value = action[name];
        if (value is null)
        {
            // A wrongly cased name is already reported; saying it is missing too would only repeat that.
            if (!action.Parameters.Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)))
            {
                violations.Add($"{action.Type} needs {name} ({meaning})");
            }
        }
        else if (!IsPositiveNumber(value))
        {
            violations.Add($"{action.Type}.{name} must be a positive whole number in a string ({meaning}), got '{value}'");
        }
    }

    private static void WarnOutside(AnsweredAction action, string name, int low, int high, string meaning, List<string> warnings)
    {
        if (action[name] is { } value && IsPositiveNumber(value)
            && int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) is var number && (number < low || number > high))
        {
            warnings.Add($"{action.Type}.{name} is {value}, outside {low}–{high} ({meaning})");
        }
    }

    private static void CheckCall(AnsweredAction action, List<string> violations, List<string> warnings)
    {
        var destination = action["Destination"];
        if (string.IsNullOrWhiteSpace(destination))
        {
            violations.Add($"{action.Type} needs a non-empty Destination");
        }
        else if (destination != destination.Trim())
        {
            violations.Add($"{action.Type}.Destination '{destination}' has surrounding spaces");
        }
        else if (action.Type != ActionTypes.CallByObjectLogin && !PhoneNumber().IsMatch(destination))
        {
            violations.Add($"{action.Type}.Destination must be a phone number (digits, optional leading +), got '{destination}'");
        }
        else if (action.Type == ActionTypes.CallByObjectLogin && destination.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
        {
            violations.Add($"{action.Type}.Destination must be one object login (no spaces, commas or control characters), got '{Printable(destination)}'");
        }

        var options = action["Options"];
        if (options is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in options.Split(','))
        {
            var key = token.StartsWith("Timeout=", StringComparison.Ordinal) ? "Timeout" : token;
            if (!seen.Add(key))
            {
                violations.Add($"Options repeats '{key}': '{options}'");
            }

            if (CallOptionFlags.Contains(token, StringComparer.Ordinal))
            {
                continue;
            }

            if (key == "Timeout")
            {
                if (!IsPositiveNumber(token["Timeout=".Length..]))
                {
                    violations.Add($"Options Timeout must be whole seconds, got '{token}'");
                }
                else if (int.Parse(token["Timeout=".Length..], NumberStyles.None, CultureInfo.InvariantCulture) > 300)
                {
                    warnings.Add($"Options '{token}': over five minutes of ringing (whole seconds; the vendor suggests 10–20)");
                }

                continue;
            }

            var corrected = CallOptionFlags.FirstOrDefault(f => string.Equals(f, token.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? (token.Trim().StartsWith("timeout=", StringComparison.OrdinalIgnoreCase) ? "Timeout=N" : null);
            violations.Add(corrected is not null
                ? $"Options '{options}': '{token}' must be written exactly '{corrected}' (comma-separated, no spaces)"
                : $"Options '{options}': '{token}' is not in the documented vocabulary (PlayCallStatus, RingTones, Timeout=N)");
        }
    }

    private void CheckSay(AnsweredAction action, List<string> violations, List<string> warnings)
    {
        if (action.Parameters.Count == 0)
        {
            violations.Add($"{action.Type} needs the value to say");
            return;
        }

        var name = _sayParameterByType is null ? SayParameter : _sayParameterByType.GetValueOrDefault(action.Type);
        if (name is not null && action[name] is null)
        {
            violations.Add($"{action.Type} must carry its value in '{name}', got {string.Join(", ", action.Parameters.Select(p => p.Key))}");
            return;
        }

        if (name is null && action.Parameters.Count > 1)
        {
            violations.Add($"{action.Type} should carry one value, got {string.Join(", ", action.Parameters.Select(p => p.Key))}");
            return;
        }

        if (name is null && OtherActionsParameters.Contains(action.Parameters[0].Key))
        {
            violations.Add($"{action.Type} carries its value in '{action.Parameters[0].Key}', a parameter of other actions");
            return;
        }

        var value = name is null ? action.Parameters[0].Value : action[name]!;
        if (value.Length == 0)
        {
            violations.Add($"{action.Type} has an empty value");
            return;
        }

        // The platform does not publish Say* formats; these are the ones the protocol notes suggest verifying.
        var (pattern, format) = action.Type switch
        {
            ActionTypes.SayNumber => (WholeNumber(), "a whole number"),
            ActionTypes.SayDigits => (Digits(), "digits"),
            ActionTypes.SayDate => (IsoDate(), "YYYY-MM-DD"),
            _ => (ClockTime(), "HH:MM"),
        };
        if (!pattern.IsMatch(value))
        {
            warnings.Add($"{action.Type} value '{value}' is not {format}; the platform's format is unconfirmed");
        }
    }

    private static JsonElement? CheckSession(JsonElement? session, List<string> violations, List<string> warnings)
    {
        if (session is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            violations.Add($"Session must be a JSON object, got {Kind(value)}");
        }

        var size = Encoding.UTF8.GetByteCount(value.GetRawText());
        if (size > SessionWarningBytes)
        {
            warnings.Add($"Session is {size} bytes; keep it under {SessionWarningBytes} (state belongs in the app's store)");
        }

        return value;
    }

    /// <summary>Null for one name or none; a map for <c>SayNumber=Number,SayDigits=Digits,…</c>.</summary>
    private static Dictionary<string, string>? SayParametersByType(string? setting)
    {
        if (setting is null || !setting.Contains('=', StringComparison.Ordinal)) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in setting.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            var type = parts.Length == 2 ? ActionTypes.CorrectCasing(parts[0]) ?? parts[0] : "";
            if (!ActionTypes.IsSay(type) || parts[1].Length == 0)
            {
                throw new ArgumentException($"'{pair}' is not <Say type>=<parameter name>, e.g. SayNumber=Number", nameof(setting));
            }

            map[type] = parts[1];
        }

        return map;
    }

    /// <summary>The first string or property name that cannot be read as text (a lone surrogate), shown escaped; null when all can.</summary>
    private static string? FirstBrokenText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return null;
                }
                catch (InvalidOperationException)
                {
                    return element.GetRawText();
                }
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (FirstBrokenText(item) is { } broken) return broken;
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    try
                    {
                        _ = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return "a property name";
                    }

                    if (FirstBrokenText(property.Value) is { } broken) return broken;
                }

                return null;
            default:
                return null;
        }
    }

    private static string Printable(string value) =>
        string.Concat(value.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    private static bool IsPositiveNumber(string value) =>
        value.Length is > 0 and <= 9 && value.All(char.IsAsciiDigit)
        && int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) > 0;

    private static string RawText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string DescribeBody(HttpAnswer http)
    {
        var type = http.ContentType ?? "no Content-Type";
        return http.Body.Length == 0 ? type + ", empty body" : type + ": " + Snippet(http.Body);
    }

    private static string Snippet(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body.Length > 120 ? body[..120] : body);
        text = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return "\"" + text + (body.Length > 120 ? "…\"" : "\"");
    }

    [GeneratedRegex(@"^\+?[0-9]+$")]
    private static partial Regex PhoneNumber();

    [GeneratedRegex(@"^-?[0-9]+$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^[0-9]{2}:[0-9]{2}(:[0-9]{2})?$")]
    private static partial Regex ClockTime();
}
