using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FunctionsIvr.Tests.Hosting;

/// <summary>
/// Application Insights ingestion on 127.0.0.1: records the envelopes POSTed to <c>/v2/track</c> or <c>/v2.1/track</c>
/// (gzip'd, newline-delimited JSON) and accepts them all; answers anything else (live metrics pings) with 200.
/// </summary>
public sealed class FakeIngestionEndpoint : IAsyncDisposable
{
    /// <summary>A made-up key: ingestion here is a local fake.</summary>
    public const string InstrumentationKey = "11111111-2222-3333-4444-555555555555";

    private readonly WebApplication _app;
    private readonly List<JsonObject> _items = [];

    private FakeIngestionEndpoint(WebApplication app) => _app = app;

    public Uri BaseUrl => new(_app.Urls.First());

    /// <summary>A connection string that sends everything here, live metrics included, never to the internet.</summary>
    public string ConnectionString =>
        $"InstrumentationKey={FakeIngestionEndpoint.InstrumentationKey};IngestionEndpoint={BaseUrl};LiveEndpoint={BaseUrl}";

    public IReadOnlyList<JsonObject> Items
    {
        get
        {
            lock (_items) return [.. _items];
        }
    }

    public static async Task<FakeIngestionEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new FakeIngestionEndpoint(app);
        app.MapPost("/v2/track", endpoint.TrackAsync);
        app.MapPost("/v2.1/track", endpoint.TrackAsync);
        app.MapFallback(() => Results.Ok());
        await app.StartAsync();
        return endpoint;
    }

    /// <summary>Items of one kind (<c>RequestData</c>, <c>MessageData</c>, <c>RemoteDependencyData</c>) whose properties say <paramref name="name"/> = <paramref name="value"/>.</summary>
    public IReadOnlyList<JsonObject> Find(string baseType, string name, string value) =>
        Items.Where(i => (string?)i["data"]?["baseType"] == baseType
                         && (string?)i["data"]?["baseData"]?["properties"]?[name] == value).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        Stream body = request.Body;
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = new GZipStream(request.Body, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lock (_items)
        {
            _items.AddRange(lines.Select(l => JsonNode.Parse(l)!.AsObject()));
        }

        return Results.Json(new { itemsReceived = lines.Length, itemsAccepted = lines.Length, errors = Array.Empty<object>() });
    }
}
