using System.Globalization;

namespace FunctionsIvr.Calls.Orders;

/// <summary>Whole numbers kept in the Session as invariant text.</summary>
internal static class SessionNumbers
{
    public static int? Int(CallContext ctx, string key) =>
        int.TryParse(ctx.Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static long? Long(CallContext ctx, string key) =>
        long.TryParse(ctx.Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static void Set(CallContext ctx, string key, long value) => ctx.Set(key, value.ToString(CultureInfo.InvariantCulture));
}
