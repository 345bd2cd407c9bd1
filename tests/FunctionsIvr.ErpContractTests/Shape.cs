using System.Globalization;
using System.Net;

namespace FunctionsIvr.ErpContractTests;

/// <summary>Assertions on the JSON as sent, so the suite checks the wire contract and not a client's forgiving parser.</summary>
public static partial class Shape
{
    public static async Task<JsonObject> OkObjectAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return Assert.IsType<JsonObject>(JsonNode.Parse(body));
    }

    /// <summary>An RFC 9457 problem: problem+json, with type, title and the status it came with.</summary>
    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, params HttpStatusCode[] allowed)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(allowed.Contains(response.StatusCode), $"Expected {string.Join("/", allowed.Select(s => (int)s))}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = Assert.IsType<JsonObject>(JsonNode.Parse(body));
        Assert.False(string.IsNullOrEmpty(String(problem, "type")));
        Assert.False(string.IsNullOrEmpty(String(problem, "title")));
        Assert.Equal((int)response.StatusCode, (int)Number(problem, "status"));
        return problem;
    }

    public static string String(JsonObject o, string name)
    {
        var node = Present(o, name);
        Assert.True(node is JsonValue v && v.TryGetValue<string>(out _), $"'{name}' must be a string: {o.ToJsonString()}");
        return node!.GetValue<string>();
    }

    public static string? OptionalString(JsonObject o, string name) =>
        o[name] is null ? null : String(o, name);

    public static decimal Number(JsonObject o, string name)
    {
        var node = Present(o, name);
        Assert.True(node is JsonValue v && v.TryGetValue<decimal>(out _), $"'{name}' must be a number: {o.ToJsonString()}");
        return node!.GetValue<decimal>();
    }

    public static decimal? OptionalNumber(JsonObject o, string name) => o[name] is null ? null : Number(o, name);

    public static bool Bool(JsonObject o, string name)
    {
        var node = Present(o, name);
        Assert.True(node is JsonValue v && v.TryGetValue<bool>(out _), $"'{name}' must be true or false: {o.ToJsonString()}");
        return node!.GetValue<bool>();
    }

    public static JsonArray Array(JsonObject o, string name) =>
        Assert.IsType<JsonArray>(Present(o, name));

    public static JsonObject Object(JsonObject o, string name) =>
        Assert.IsType<JsonObject>(Present(o, name));

    public static DateTimeOffset DateTime(JsonObject o, string name)
    {
        // RFC 3339 section 5.6 (OpenAPI's date-time): what the IVR reads. A looser parse would pass "12/05/2026 12:00 +00:00".
        var text = String(o, name);
        var parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value);
        Assert.True(parsed && Rfc3339().IsMatch(text), $"'{name}' must be an RFC 3339 date-time with offset: {text}");
        return value;
    }

    public static DateOnly Date(JsonObject o, string name)
    {
        var text = String(o, name);
        Assert.True(DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value),
            $"'{name}' must be a date (yyyy-MM-dd): {text}");
        return value;
    }

    public static DateOnly? OptionalDate(JsonObject o, string name) => o[name] is null ? null : Date(o, name);

    public static void E164(string number) =>
        Assert.Matches(@"^\+[1-9][0-9]{4,14}$", number);

    /// <summary>A page: items, page from 1, pageSize, totalCount.</summary>
    public static JsonArray Page(JsonObject page)
    {
        var items = Array(page, "items");
        Assert.True(Number(page, "page") >= 1);
        Assert.True(items.Count <= Number(page, "pageSize"));
        if (page["totalCount"] is not null) Assert.True(Number(page, "totalCount") >= items.Count);
        return items;
    }

    public static void Contact(JsonObject c)
    {
        String(c, "id");
        String(c, "name");
        OptionalString(c, "company");
        foreach (var phone in Array(c, "phones")) E164(phone!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(String(c, "segment")));
        Assert.Matches("^[a-z]{2}$", String(c, "language"));
        Bool(c, "blocked");
        if (c["accountManager"] is JsonObject am)
        {
            String(am, "login");
            String(am, "name");
            foreach (var number in new[] { OptionalString(am, "phone"), OptionalString(am, "whatsApp") }.OfType<string>()) E164(number);
            OptionalString(am, "email");
            Assert.Contains(String(am, "preferredChannel"), new[] { "email", "whatsapp", "phone", "sms" });
        }
    }

    public static void Product(JsonObject p)
    {
        String(p, "code");
        String(p, "name");
        String(p, "unit");
        Assert.True(Number(p, "price") >= 0);
        Assert.Matches("^[A-Z]{3}$", String(p, "currency"));
        Assert.True(Number(p, "stock") >= 0);
    }

    public static void OrderLine(JsonObject l)
    {
        String(l, "productCode");
        String(l, "name");
        Assert.True(Number(l, "quantity") > 0);
        String(l, "unit");
        var unitPrice = Number(l, "unitPrice");
        Assert.Equal(Math.Round(unitPrice * Number(l, "quantity"), 2), Math.Round(Number(l, "lineTotal"), 2));
    }

    public static void Order(JsonObject o)
    {
        String(o, "id");
        String(o, "number");
        String(o, "contactId");
        Assert.Contains(String(o, "status"), new[] { "confirmed", "in_preparation", "shipped", "delivered", "cancelled" });
        DateTime(o, "createdAt");
        var lines = Array(o, "lines");
        Assert.NotEmpty(lines);
        foreach (var line in lines) OrderLine(line!.AsObject());
        Assert.Equal(lines.Sum(l => Number(l!.AsObject(), "lineTotal")), Number(o, "total"));
        Assert.Matches("^[A-Z]{3}$", String(o, "currency"));
        OptionalDate(o, "estimatedDelivery");
    }

    public static void Prepared(JsonObject t)
    {
        String(t, "transactionId");
        Assert.Equal("prepared", String(t, "status"));
        DateTime(t, "expiresAt");
        String(t, "orderNumber");
        var lines = Array(t, "lines");
        foreach (var line in lines) OrderLine(line!.AsObject());
        Assert.Equal(lines.Sum(l => Number(l!.AsObject(), "lineTotal")), Number(t, "total"));
        Assert.Matches("^[A-Z]{3}$", String(t, "currency"));
    }

    private static JsonNode? Present(JsonObject o, string name)
    {
        Assert.True(o.ContainsKey(name), $"'{name}' is missing: {o.ToJsonString()}");
        return o[name];
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex Rfc3339();
}
