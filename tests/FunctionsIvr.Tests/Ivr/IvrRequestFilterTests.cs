using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FunctionsIvr.Ivr;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.Ivr;

public class IvrRequestFilterTests
{
    private static string Callback(string? hash = "s3cr3t", string callId = "example-uid-0001") =>
        new JsonObject
        {
            ["request"] = new JsonObject
            {
                ["FromNumber"] = "48600100200",
                ["ToNumber"] = "48221234567",
                ["ChannelStatus"] = "Connected",
                ["UniqueCallId"] = callId,
                ["Hash"] = hash,
                ["Event"] = new JsonObject { ["EventName"] = "Connected", ["EventData"] = "" },
                ["Session"] = null,
            },
        }.ToJsonString();

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> PostAsync(IvrTestApp app, HttpContent content) =>
        await app.Client.PostAsync(new Uri(IvrTestApp.Route, UriKind.Relative), content);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, IvrTestApp app)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, app.HandlerCalls);
    }

    [Fact]
    public async Task ValidateIvrRequest_RightHash_HandlerGetsRequestWithoutHash()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());

        using var response = await PostAsync(app, Json(Callback()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"Action":{"Type":"Play","Prompt":"1"},"Session":{"callId":"example-uid-0001","event":"Connected","hashVisible":false}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ValidateIvrRequest_Answer_IsUtf8JsonWithCharset()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());

        using var response = await PostAsync(app, Json(Callback()));

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal((byte)'{', (await response.Content.ReadAsByteArrayAsync())[0]);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("S3CR3T")]
    [InlineData("s3cr3t ")]
    [InlineData("")]
    public async Task ValidateIvrRequest_WrongHash_403WithEmptyBody(string hash)
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());
        using var response = await PostAsync(app, Json(Callback(hash)));
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, app);
    }

    [Fact]
    public async Task ValidateIvrRequest_MissingHash_403WithEmptyBody()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());
        using var response = await PostAsync(app, Json(Callback(hash: null)));
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, app);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>oops</html>")]
    [InlineData("""{"request":{"UniqueCallId":"c-1","Hash":"s3cr3t""")]
    public async Task ValidateIvrRequest_UnparseableBodyWithHashConfigured_403(string body)
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());
        using var response = await PostAsync(app, Json(body));
        await AssertRefusedAsync(response, HttpStatusCode.Forbidden, app);
    }

    [Fact]
    public async Task ValidateIvrRequest_RightHashButNoUniqueCallId_HandlerGetsTheFailure()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());

        using var response = await PostAsync(app, Json("""{"request":{"Hash":"s3cr3t","Event":{"EventName":"Connected"}}}"""));

        Assert.Equal("parse-failed:MissingUniqueCallId", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ValidateIvrRequest_NoHashConfiguredInDevelopment_AnyHashPasses()
    {
        await using var app = await IvrTestApp.StartAsync(new Dictionary<string, string?>(), "Development");

        using var withHash = await PostAsync(app, Json(Callback("anything")));
        using var withoutHash = await PostAsync(app, Json(Callback(hash: null)));

        Assert.Equal(HttpStatusCode.OK, withHash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withoutHash.StatusCode);
        Assert.Contains("\"hashVisible\":false", await withHash.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateIvrRequest_NoHashConfiguredAndGarbage_HandlerGetsTheReason()
    {
        await using var app = await IvrTestApp.StartAsync(new Dictionary<string, string?>(), "Development");

        using var response = await PostAsync(app, Json("{not json"));

        Assert.Equal("parse-failed:MalformedJson", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ValidateIvrRequest_UrlEncodedForm_Accepted()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());
        using var form = new FormUrlEncodedContent([new("request", Callback())]);

        using var response = await PostAsync(app, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("example-uid-0001", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateIvrRequest_MultipartForm_Accepted()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());
        using var form = new MultipartFormDataContent { { new StringContent(Callback()), "request" } };

        using var response = await PostAsync(app, form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("example-uid-0001", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateIvrRequest_BodyOverLimit_413()
    {
        var settings = IvrTestApp.ProductionSettings();
        settings["Ivr:MaxRequestBodyBytes"] = "1024";
        await using var app = await IvrTestApp.StartAsync(settings);
        var body = Callback().Replace("\"Connected\",", "\"" + new string('x', 1024) + "\",", StringComparison.Ordinal);

        using var response = await PostAsync(app, Json(body));

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, app);
    }

    [Fact]
    public async Task ValidateIvrRequest_ChunkedBodyOverLimit_413()
    {
        var settings = IvrTestApp.ProductionSettings();
        settings["Ivr:MaxRequestBodyBytes"] = "1024";
        await using var app = await IvrTestApp.StartAsync(settings);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Callback() + new string(' ', 2000))));
        content.Headers.ContentLength = null;

        using var response = await PostAsync(app, content);

        await AssertRefusedAsync(response, HttpStatusCode.RequestEntityTooLarge, app);
    }

    [Fact]
    public async Task ValidateIvrRequest_BodyExactlyAtLimit_Accepted()
    {
        var settings = IvrTestApp.ProductionSettings();
        settings["Ivr:MaxRequestBodyBytes"] = "1024";
        await using var app = await IvrTestApp.StartAsync(settings);
        var body = Callback();
        body += new string(' ', 1024 - Encoding.UTF8.GetByteCount(body));

        using var response = await PostAsync(app, Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ValidateIvrRequest_EndlessBody_ReadsNoMoreThanTheLimitPlusOne()
    {
        var body = new EndlessStream();
        var httpContext = new DefaultHttpContext { Request = { Method = "POST", Body = body } };

        var result = await CreateFilter(maxBytes: 4096).InvokeAsync(new DefaultEndpointFilterInvocationContext(httpContext), NotCalled);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsType<StatusCodeHttpResult>(result).StatusCode);
        Assert.InRange(body.BytesRead, 4097, 4097);
    }

    [Fact]
    public async Task ValidateIvrRequest_DeclaredLengthOverLimit_413WithoutReading()
    {
        var body = new EndlessStream();
        var httpContext = new DefaultHttpContext { Request = { Method = "POST", Body = body, ContentLength = 10_000_000 } };

        var result = await CreateFilter(maxBytes: 4096).InvokeAsync(new DefaultEndpointFilterInvocationContext(httpContext), NotCalled);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, Assert.IsType<StatusCodeHttpResult>(result).StatusCode);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task ValidateIvrRequest_WrongHash_LogsMaskedCallerAndNeverTheHash()
    {
        await using var app = await IvrTestApp.StartAsync(IvrTestApp.ProductionSettings());

        using var response = await PostAsync(app, Json(Callback("guess-123")));

        var log = app.Logs.Entries.Single(e => e.EventId.Id == 1101).Message;
        Assert.Contains("wrong", log, StringComparison.Ordinal);
        Assert.Contains("********200", log, StringComparison.Ordinal);
        Assert.DoesNotContain("48600100200", app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("guess-123", app.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateIvrRequest_OversizedBody_LoggedWithLimit()
    {
        var settings = IvrTestApp.ProductionSettings();
        settings["Ivr:MaxRequestBodyBytes"] = "1024";
        await using var app = await IvrTestApp.StartAsync(settings);

        using var response = await PostAsync(app, Json(new string(' ', 5000)));

        Assert.Contains("1024", app.Logs.Entries.Single(e => e.EventId.Id == 1103).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateIvrRequest_UnparseableBody_LoggedWithReasonButNotContent()
    {
        await using var app = await IvrTestApp.StartAsync(new Dictionary<string, string?>(), "Development");

        using var response = await PostAsync(app, Json("""{"UniqueCallId":"c-1","Event":{"EventData":"424242"}"""));

        var log = app.Logs.Entries.Single(e => e.EventId.Id == 1102).Message;
        Assert.Contains("MalformedJson", log, StringComparison.Ordinal);
        Assert.DoesNotContain("424242", app.Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void GetIvrParseResult_EndpointWithoutTheFilter_ThrowsNamingTheFix()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new DefaultHttpContext().GetIvrParseResult());
        Assert.Contains("ValidateIvrRequest()", error.Message, StringComparison.Ordinal);
    }

    private static IvrRequestFilter CreateFilter(int maxBytes) =>
        new(Options.Create(new IvrOptions { Hash = "s3cr3t", MaxRequestBodyBytes = maxBytes }), NullLogger<IvrRequestFilter>.Instance);

    private static ValueTask<object?> NotCalled(EndpointFilterInvocationContext context) =>
        throw new InvalidOperationException("the handler must not run");

    /// <summary>A body that never ends, counting what was taken from it.</summary>
    private sealed class EndlessStream : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, 700);
            buffer[..n].Fill((byte)' ');
            BytesRead += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
