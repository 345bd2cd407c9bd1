using System.Text;
using System.Text.Json.Nodes;

namespace FunctionsIvr.Tests.Fuzzing;

/// <summary>
/// Bodies a hostile or broken sender could post: valid callbacks and invocation payloads mutated field by field or byte
/// by byte, truncated, deeply nested, or plain random bytes. Deterministic for a given seed, so a failure can be replayed.
/// </summary>
public sealed class HostileInput(int seed)
{
    private static readonly string[] EventNames = ["Connected", "Play", "GetDTMF", "CallStatus", "Answer", "Wait", "SayNumber", "Hangup", "", "connected", "GETDTMF"];
    private static readonly string[] Fields = ["FromNumber", "ToNumber", "ChannelStatus", "UniqueCallId", "Hash", "Event", "Session", "Error"];
    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/x-www-form-urlencoded", "text/plain",
        "application/json; charset=utf-16", "multipart/form-data; boundary=x", "", "application/xml",
    ];

    private readonly Random random = new(seed);

    /// <summary>Real answers' Sessions, so some mutations start from a correctly signed Session.</summary>
    public List<JsonNode> KnownSessions { get; } = [];

    public HostileCase NextCallback(string hash)
    {
        var kind = random.Next(10);
        if (kind == 0) return new HostileCase(RandomBytes(random.Next(0, 2048)), Pick(ContentTypes), "random bytes");

        var request = Callback(hash);
        var mutations = random.Next(1, 4);
        var description = new StringBuilder();
        for (var i = 0; i < mutations; i++) description.Append(MutateField(request)).Append("; ");

        var json = random.Next(4) == 0 ? request.ToJsonString() : new JsonObject { ["request"] = request }.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(json);
        switch (random.Next(8))
        {
            case 0:
                bytes = FlipBytes(bytes);
                description.Append("bytes flipped");
                break;
            case 1:
                bytes = bytes[..random.Next(bytes.Length)];
                description.Append("truncated");
                break;
            case 2:
                return new HostileCase(Encoding.UTF8.GetBytes("request=" + Uri.EscapeDataString(request.ToJsonString()) + (random.Next(2) == 0 ? "&request=x" : "")),
                    "application/x-www-form-urlencoded", description + "form-encoded");
        }

        return new HostileCase(bytes, random.Next(6) == 0 ? Pick(ContentTypes) : "application/json", description.ToString());
    }

    public HostileCase NextInvocation(string validPayload)
    {
        if (random.Next(8) == 0) return new HostileCase(RandomBytes(random.Next(0, 1024)), "application/json", "random bytes");
        var node = JsonNode.Parse(validPayload)!.AsObject();
        var description = new StringBuilder();
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            var target = random.Next(3) switch
            {
                0 => node,
                1 => node["Data"] as JsonObject ?? node,
                _ => node["Metadata"] as JsonObject ?? node,
            };
            var keys = target.Select(p => p.Key).ToList();
            var key = keys.Count > 0 && random.Next(4) != 0 ? keys[random.Next(keys.Count)] : RandomString(6);
            if (random.Next(5) == 0)
            {
                target.Remove(key);
                description.Append("removed ").Append(key).Append("; ");
            }
            else
            {
                target[key] = RandomValue(depth: 0);
                description.Append("replaced ").Append(key).Append("; ");
            }
        }

        var bytes = Encoding.UTF8.GetBytes(node.ToJsonString());
        if (random.Next(6) == 0)
        {
            bytes = FlipBytes(bytes);
            description.Append("bytes flipped");
        }

        return new HostileCase(bytes, "application/json", description.ToString());
    }

    private JsonObject Callback(string hash) => new()
    {
        ["FromNumber"] = random.Next(3) == 0 ? RandomDigits(random.Next(0, 20)) : "48600100200",
        ["ToNumber"] = "48221234567",
        ["ChannelStatus"] = "Connected",
        ["UniqueCallId"] = "fuzz-" + random.Next(1000),
        ["Hash"] = random.Next(10) == 0 ? RandomString(6) : hash,
        ["Event"] = new JsonObject { ["EventName"] = Pick(EventNames), ["EventData"] = random.Next(2) == 0 ? RandomDigits(random.Next(0, 8)) : "Answer" },
        ["Session"] = KnownSessions.Count > 0 && random.Next(2) == 0 ? KnownSessions[random.Next(KnownSessions.Count)].DeepClone() : null,
    };

    private string MutateField(JsonObject request)
    {
        var field = Pick(Fields);
        switch (random.Next(6))
        {
            case 0:
                request.Remove(field);
                return "removed " + field;
            case 1 when request[field] is JsonObject inner && inner.Count > 0:
                var key = inner.Select(p => p.Key).ElementAt(random.Next(inner.Count));
                inner[key] = RandomValue(depth: 0);
                return $"replaced {field}.{key}";
            case 2:
                request[field] = Deep(random.Next(10, 200));
                return "deep nesting in " + field;
            case 3:
                request[field] = new string((char)random.Next(32, 0xD7FF), random.Next(1, 5000));
                return "long string in " + field;
            default:
                request[field] = RandomValue(depth: 0);
                return "replaced " + field;
        }
    }

    private JsonNode? RandomValue(int depth) => random.Next(depth > 2 ? 6 : 9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        2 => JsonValue.Create(random.NextDouble() * 1e300),
        3 => JsonValue.Create(random.Next(2) == 0),
        4 => JsonValue.Create(RandomString(random.Next(0, 40))),
        5 => JsonValue.Create(RandomDigits(random.Next(0, 30))),
        6 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(depth + 1)).ToArray()),
        _ => new JsonObject(Enumerable.Range(0, random.Next(4)).Select(i => KeyValuePair.Create(RandomString(4) + i, RandomValue(depth + 1)))),
    };

    private static JsonNode Deep(int levels)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < levels; i++) node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["a"] = node };
        return node;
    }

    private byte[] FlipBytes(byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        for (var i = random.Next(1, 6); i > 0 && copy.Length > 0; i--) copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private string RandomString(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = random.Next(4) == 0 ? (char)random.Next(0x80, 0xD7FF) : (char)random.Next(0, 128);
        return new string(chars);
    }

    private string RandomDigits(int length) => new(Enumerable.Range(0, length).Select(_ => (char)('0' + random.Next(10))).ToArray());

    private T Pick<T>(T[] items) => items[random.Next(items.Length)];
}

/// <summary>One body to post, with what was done to it (shown when it fails).</summary>
public sealed record HostileCase(byte[] Body, string ContentType, string Description);
