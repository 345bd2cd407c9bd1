using System.Text.Json;
using FunctionsIvr.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Hosting;

public sealed class InvocationResultTests
{
    private static async Task<(int Status, string? ContentType, string Body)> ExecuteAsync(InvocationResult result, int status = 200)
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        context.Response.Body = new MemoryStream();
        await result.ToHttpResult(status).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task ToHttpResult_Empty_StillAFullObjectWithPascalCaseNames()
    {
        var (status, contentType, body) = await ExecuteAsync(new InvocationResult());

        Assert.Equal(200, status);
        Assert.Equal("application/json", contentType);
        Assert.Equal("""{"Outputs":{},"Logs":[],"ReturnValue":null}""", body);
    }

    [Fact]
    public async Task ToHttpResult_Outputs_KeepTheBindingNamesExactly()
    {
        var result = new InvocationResult
        {
            Outputs = { ["outMsg"] = "{\"orderId\":42}", ["Res"] = new Dictionary<string, object> { ["statusCode"] = 201 } },
            Logs = { "processed 42" },
            ReturnValue = "done",
        };

        var (_, _, body) = await ExecuteAsync(result, 200);

        using var json = JsonDocument.Parse(body);
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["outMsg", "Res"], json.RootElement.GetProperty("Outputs").EnumerateObject().Select(p => p.Name));
        Assert.Equal("{\"orderId\":42}", json.RootElement.GetProperty("Outputs").GetProperty("outMsg").GetString());
        Assert.Equal("processed 42", json.RootElement.GetProperty("Logs")[0].GetString());
        Assert.Equal("done", json.RootElement.GetProperty("ReturnValue").GetString());
    }

    [Fact]
    public async Task ToHttpResult_FailureStatus_KeepsTheBody()
    {
        var (status, _, body) = await ExecuteAsync(InvocationResult.WithLogs("ERP down"), 500);

        Assert.Equal(500, status);
        Assert.Equal("""{"Outputs":{},"Logs":["ERP down"],"ReturnValue":null}""", body);
    }
}
