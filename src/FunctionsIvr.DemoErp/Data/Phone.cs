namespace FunctionsIvr.DemoErp.Data;

/// <summary>E.164 for lookups: accepts <c>+48600100200</c>, <c>48600100200</c>, <c>0048 600-100-200</c>, <c>600100200</c>.</summary>
public static class Phone
{
    public static string? Normalize(string? number)
    {
        if (string.IsNullOrWhiteSpace(number)) return null;
        var trimmed = number.Trim();
        var hasPlus = trimmed.StartsWith('+');
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (trimmed.Any(c => !char.IsAsciiDigit(c) && c is not ('+' or ' ' or '-' or '(' or ')' or '.' or '/'))) return null;
        if (!hasPlus && digits.StartsWith("00", StringComparison.Ordinal)) digits = digits[2..];
        else if (!hasPlus && digits.Length == 9 && digits[0] != '0') digits = "48" + digits;
        return digits.Length is >= 5 and <= 15 && digits[0] != '0' ? "+" + digits : null;
    }
}
