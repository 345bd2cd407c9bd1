namespace FunctionsIvr.Calls;

/// <summary>How numbers from the ERP are said on the phone: whole numbers only, identifiers by their last digits.</summary>
public static class SpokenNumbers
{
    /// <summary>
    /// The digits among the last four characters of an order number (<c>ZS/2025/000123</c> -> <c>0123</c>); never the
    /// whole identifier. When those characters hold no digit, the number's last four digits; empty when it has none.
    /// </summary>
    public static string OrderNumberDigits(string? number)
    {
        if (string.IsNullOrEmpty(number)) return "";
        var tail = Digits(number[^Math.Min(4, number.Length)..]);
        if (tail.Length > 0) return tail;
        var all = Digits(number);
        return all[^Math.Min(4, all.Length)..];
    }

    /// <summary>Every digit of a product code, as the caller keys it (<c>CEM-325-25</c> -> <c>32525</c>).</summary>
    public static string Digits(string? value) => value is null ? "" : new string(value.Where(char.IsAsciiDigit).ToArray());

    /// <summary>A price in hundredths of its currency (grosze, cents), rounded half away from zero.</summary>
    public static long Hundredths(decimal price) => (long)Math.Round(price * 100m, MidpointRounding.AwayFromZero);

    /// <summary>An amount in whole units of its currency, rounded half away from zero.</summary>
    public static long WholeAmount(decimal amount) => (long)Math.Round(amount, MidpointRounding.AwayFromZero);

    /// <summary>Stock as whole units that can be promised: rounded down.</summary>
    public static long WholeUnits(decimal stock) => stock <= 0 ? 0 : (long)Math.Floor(stock);
}
