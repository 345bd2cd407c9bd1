using System.Text.Json;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Hosting;

/// <summary>
/// Masks personal data before it reaches a log, a ticket or a page: phone numbers keep their last three digits,
/// ids their last four characters, digits typed on the keypad are replaced whole.
/// </summary>
public static partial class Redact
{
    public static string Phone(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "";
        var digits = new string(number.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length <= 3) return new string('*', digits.Length);
        return new string('*', digits.Length - 3) + digits[^3..];
    }

    public static string Id(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "";
        if (id.Length <= 4) return new string('*', id.Length);
        return "…" + id[^4..];
    }

    /// <summary>
    /// Text that may hold phone numbers anywhere, such as a queue message body, with each one masked as
    /// <see cref="Phone"/> masks it and the rest left readable: the value of a JSON phone field (<c>fromNumber</c>,
    /// <c>callerNumber</c>, <c>phone</c>…) whatever its shape, and any other run of 7 or more digits.
    /// </summary>
    public static string PhoneNumbersIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fieldsMasked = PhoneFieldPattern().Replace(text, field =>
        {
            var value = field.Groups["value"].Value;
            return value.Any(char.IsAsciiDigit) ? field.Groups["head"].Value + Phone(JsonUnescaped(value)) : field.Value;
        });
        return PhoneLikePattern().Replace(fieldsMasked, number => Phone(number.Groups["digits"].Value));
    }

    /// <summary>System.Text.Json writes '+' as <c>\u002B</c>: decoded first, so the escape's digits are not taken for the number's.</summary>
    private static string JsonUnescaped(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<string>("\"" + value + "\"") ?? value;
        }
        catch (JsonException)
        {
            return value;
        }
    }

    [GeneratedRegex("""(?<head>"(?i:fromNumber|toNumber|callerNumber|calledNumber|dialledNumber|dialedNumber|phone|phoneNumber|mobile|msisdn)"\s*:\s*")(?<value>[^"\\]*(?:\\.[^"\\]*)*)""")]
    private static partial Regex PhoneFieldPattern();

    // After a '+' (or its JSON escape) digits may be grouped by spaces or dashes; a bare run must stand on its own, so
    // fractions of seconds ("12.1234567") and digits inside a word are left alone. A JSON escape before the run
    // ("\n", "\u00A0") ends in a letter or digit but is not part of a word.
    [GeneratedRegex("""(?:\+|\\u002[Bb])(?<digits>\d(?:[ -]?\d){6,})|(?:(?<=\\[nrtbf/"\\])|(?<=\\u[0-9A-Fa-f]{4})|(?<![\p{L}\p{N}_])(?<!\d\.))(?<digits>\d{7,})(?![\p{L}\p{N}_])""")]
    private static partial Regex PhoneLikePattern();

    /// <summary>Keypad input: only its length is kept, so a PIN or an account number never lands in a log.</summary>
    public static string Digits(string? digits) =>
        string.IsNullOrEmpty(digits) ? "" : DigitMasks[Math.Min(digits.Length, DigitMasks.Length - 1)];

    /// <summary>"#", "##", … up to 32: every keypad callback's call log line holds one, so they are made once.</summary>
    private static readonly string[] DigitMasks = [.. Enumerable.Range(0, 33).Select(length => new string('#', length))];
}
