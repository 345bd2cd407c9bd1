using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FunctionsIvr.DemoErp.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.DemoErp;

/// <summary>The DemoErp's admin switches a load run uses: larger stock by setting, the placed orders to check.</summary>
public class AdminApiTests
{
    [Fact]
    public async Task PlacedOrders_AfterPrepareAndARepeatedCommit_ListTheOrderWithItsCallAndCommitCount()
    {
        using var factory = Factory();
        using var erp = Client(factory);
        using var prepare = await erp.PostAsJsonAsync("/transactions", new
        {
            contactId = "c-1005",
            lines = new[] { new { productCode = "WEL-MIN-15", quantity = 120 } },
            callId = "sim-call-1",
        });
        var transactionId = (await prepare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transactionId").GetString();
        (await erp.PostAsJsonAsync("/transactions/commit", new { transactionId })).Dispose();
        (await erp.PostAsJsonAsync("/transactions/commit", new { transactionId })).Dispose();

        var placed = await erp.GetFromJsonAsync<JsonElement>("/admin/placed-orders");

        var order = Assert.Single(placed.GetProperty("orders").EnumerateArray().ToList());
        Assert.Equal("sim-call-1", order.GetProperty("callId").GetString());
        Assert.Equal(transactionId, order.GetProperty("transactionId").GetString());
        Assert.Equal(2, order.GetProperty("commitRequests").GetInt32());
        Assert.Equal(0, placed.GetProperty("openTransactions").GetInt32());
    }

    [Fact]
    public async Task PlacedOrders_WithoutTheApiKey_AreRefused()
    {
        using var factory = Factory();
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync(new Uri("/admin/placed-orders", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task StockMultiplierSetting_ProductsShowTheLargerStock()
    {
        using var factory = Factory(stockMultiplier: "50");
        using var erp = Client(factory);

        var page = await erp.GetFromJsonAsync<JsonElement>("/products?search=32525");

        Assert.Equal(60_000, page.GetProperty("items")[0].GetProperty("stock").GetDecimal());
    }

    [Fact]
    public async Task StockMultiplierSetting_Zero_FailsAtStartNamingTheKey()
    {
        // The registration alone on a plain host: a web host that fails to start may report a disposed provider instead.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["DemoErp:StockMultiplier"] = "0";
        builder.AddDemoErp();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("DemoErp:StockMultiplier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_ThenTheSameIdempotencyKey_PreparesAnewInsteadOfReplayingATransactionThatIsGone()
    {
        using var factory = Factory();
        using var erp = Client(factory);
        var body = new { contactId = "c-1005", lines = new[] { new { productCode = "WEL-MIN-15", quantity = 1 } }, callId = "sim-call-2" };
        var before = await PrepareAsync(erp, body, "sim-call-2-prepare");

        (await erp.PostAsync("/admin/reset", content: null)).EnsureSuccessStatusCode();
        var after = await PrepareAsync(erp, body, "sim-call-2-prepare");

        using var commit = await erp.PostAsJsonAsync("/transactions/commit", new { transactionId = after });
        Assert.Equal(HttpStatusCode.OK, commit.StatusCode);
        using var stale = await erp.PostAsJsonAsync("/transactions/commit", new { transactionId = before });
        Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
    }

    private static async Task<string?> PrepareAsync(HttpClient erp, object body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/transactions") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await erp.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transactionId").GetString();
    }

    private static WebApplicationFactory<FunctionsIvr.DemoErp.Program> Factory(string? stockMultiplier = null) =>
        new WebApplicationFactory<FunctionsIvr.DemoErp.Program>().WithWebHostBuilder(builder =>
        {
            if (stockMultiplier is not null) builder.UseSetting("DemoErp:StockMultiplier", stockMultiplier);
        });

    private static HttpClient Client(WebApplicationFactory<FunctionsIvr.DemoErp.Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "demo-key");
        return client;
    }
}
