namespace FunctionsIvr.Erp;

/// <summary>
/// Puts phone numbers in the E.164 form the ERP contract uses. The platform sends <c>48600100200</c> (no plus);
/// people and CRMs write <c>600 100 200</c>, <c>+48 600-100-200</c>, <c>0048600100200</c>.
/// </summary>
public static class PhoneNumbers
{
    public const string DefaultCountryCode = "48";

    /// <summary>
    /// <c>+</c> and digits only. A national 9-digit number gets <paramref name="countryCode"/>; <c>00</c> becomes
    /// <c>+</c>; a number already international keeps its country. Null for empty input, anonymous callers and
    /// anything that is not a plausible number (fewer than 5 or more than 15 digits, letters).
    /// </summary>
    public static string? Normalize(string? number, string countryCode = DefaultCountryCode)
    {
        if (string.IsNullOrWhiteSpace(number)) return null;

        var digits = new System.Text.StringBuilder(number.Length);
        var hasPlus = false;
        foreach (var c in number.Trim())
        {
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c == '+' && digits.Length == 0 && !hasPlus) hasPlus = true;
            else if (c is ' ' or '-' or '(' or ')' or '.' or '/' or '\u00A0') continue;
            else return null;
        }

        var d = digits.ToString();
        if (!hasPlus && d.StartsWith("00", StringComparison.Ordinal)) d = d[2..];
        else if (!hasPlus && d.Length == 9 && d[0] != '0') d = countryCode + d;
        else if (!hasPlus && d.Length == 10 && d[0] == '0') d = countryCode + d[1..];

        return d.Length is >= 5 and <= 15 && d[0] != '0' ? "+" + d : null;
    }
}
