namespace FunctionsIvr.Hosting;

/// <summary>
/// Masks personal data before it reaches a log, a ticket or a page: phone numbers keep their last three digits,
/// ids their last four characters, digits typed on the keypad are replaced whole.
/// </summary>
public static class Redact
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

    /// <summary>Keypad input: only its length is kept, so a PIN or an account number never lands in a log.</summary>
    public static string Digits(string? digits) =>
        string.IsNullOrEmpty(digits) ? "" : new string('#', Math.Min(digits.Length, 32));
}
