using System.Text.Json;
using Azure;

namespace FunctionsIvr.Calls.Orders;

/// <summary>
/// Small lists a flow reads out over several callbacks (the orders, an order's lines, the top products), kept in the
/// call state so "press 2" means the item the caller heard second, even if the ERP's answer changed meanwhile.
/// </summary>
internal static class CallStateLists
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task SaveAsync<T>(CallContext ctx, string key, IReadOnlyList<T> items)
    {
        var state = await ctx.LoadStateAsync();
        state.Values[key] = JsonSerializer.Serialize(items, Json);
        try
        {
            await ctx.SaveStateAsync();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance answered a repeat of this callback and saved the same list from the same ERP read
            // (409: it created the call's state first; 412: it replaced it first).
            ctx.Note($"call state '{key}' saved by another callback first");
        }
    }

    /// <summary>The list, or null when the call state does not hold it (expired, or another instance's memory).</summary>
    public static async Task<IReadOnlyList<T>?> LoadAsync<T>(CallContext ctx, string key)
    {
        var state = await ctx.LoadStateAsync();
        return state.Values.TryGetValue(key, out var json) ? JsonSerializer.Deserialize<List<T>>(json, Json) : null;
    }
}
