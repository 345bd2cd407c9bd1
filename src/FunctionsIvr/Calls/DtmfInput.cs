namespace FunctionsIvr.Calls;

/// <summary>
/// Reads GetDTMF results. The platform's "nothing entered" literal is undocumented, so anything that is not
/// keypad characters (after dropping the terminating #) counts as no input.
/// </summary>
public static class DtmfInput
{
    public static string? Parse(string? eventData)
    {
        if (string.IsNullOrWhiteSpace(eventData)) return null;
        var value = eventData.Trim().TrimEnd('#');
        if (value.Length == 0) return null;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c) && c != '*') return null;
        }

        return value;
    }
}
