using System.Net;
using System.Text.Json.Nodes;
using FunctionsIvr.Tests.Calls;

namespace FunctionsIvr.Tests.State.Diagnostics;

public class StorageCountingTests
{
    [Fact]
    public async Task StorageCounting_Enabled_CountsTheCallbacksCallLogLine()
    {
        await using var app = new IvrApp(new() { ["Diagnostics:CountStorage"] = "true" });
        using var client = app.CreateClient();

        var (status, _) = await app.PostAsync(IvrApp.Callback("Connected", callId: "count-1"));
        var counts = JsonNode.Parse(await client.GetStringAsync(new Uri("/diagnostics/storage", UriKind.Relative)))!;

        Assert.Equal(200, status);
        Assert.Equal(1, counts["callLogWrites"]!.GetValue<long>());
        Assert.Equal(0, counts["callStateReads"]!.GetValue<long>());
    }

    [Fact]
    public async Task StorageCounting_NotEnabled_NoDiagnosticsEndpoint()
    {
        await using var app = new IvrApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/diagnostics/storage", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
