using System.Text.Json;

// The yardstick of the benchmark: a minimal API that reads and parses the callback like the handler does, then
// answers one canned action. Whatever the handler costs above this is the price of its call flows.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var answer = """{"Action":{"Type":"GetDTMF","Prompt":"2","Timeout":"5000","MaxDigits":"1"},"Session":{"s":"main_menu"}}"""u8.ToArray();

app.MapPost("/api/ivr", async (HttpContext http) =>
{
    using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
    _ = body.RootElement.TryGetProperty("request", out _);
    http.Response.ContentType = "application/json; charset=utf-8";
    await http.Response.Body.WriteAsync(answer, http.RequestAborted);
});
app.MapGet("/", () => "bare");

app.Run();
