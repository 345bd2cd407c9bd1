using System.Net;
using FunctionsIvr.Erp;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Erp;

/// <summary>A list the ERP answers with one entry twice is read out with each entry once, in the ERP's order.</summary>
public class ErpRepeatedEntriesTests
{
    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task Orders_OneOrderTwice_EachOnceInTheErpsOrderAndLogged()
    {
        var (client, _) = Create("""
            {"items":[
              {"id":"o-1","number":"ZS/2026/000001","contactId":"c-1","status":"confirmed"},
              {"id":"o-2","number":"ZS/2026/000002","contactId":"c-1","status":"shipped"},
              {"id":"o-1","number":"ZS/2026/000001","contactId":"c-1","status":"confirmed"},
              {"id":"o-3","number":"ZS/2026/000003","contactId":"c-1","status":"new"}],
             "page":1,"pageSize":20,"totalCount":4}
            """);

        var orders = await client.GetOrdersAsync("c-1");

        Assert.Equal(["o-1", "o-2", "o-3"], orders.Select(o => o.Id));
        var line = Assert.Single(_logs.Lines, l => l.EventId.Id == 3011);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("orders", line.Find("List"));
        Assert.Equal("1", line.Find("Count"));
    }

    [Fact]
    public async Task ComplaintsPromotionsAndOffers_RepeatedEntriesDropped()
    {
        var (client, _) = Create(request => request.RequestUri!.AbsolutePath switch
        {
            var p when p.EndsWith("/complaints", StringComparison.Ordinal) => """
                {"items":[{"id":"k-1","number":"RK/1","contactId":"c-1","status":"open"},{"id":"k-1","number":"RK/1","contactId":"c-1","status":"open"}]}
                """,
            var p when p.EndsWith("/promotions", StringComparison.Ordinal) => """
                {"items":[{"id":"pr-1","title":"A"},{"id":"pr-2","title":"B"},{"id":"pr-2","title":"B"}]}
                """,
            var p when p.EndsWith("/top-products", StringComparison.Ordinal) => """
                {"items":[{"productCode":"CEM"},{"productCode":"CEM"},{"productCode":"GIPS"}]}
                """,
            _ => """
                {"items":[{"productCode":"KLEJ"},{"productCode":"KLEJ"}]}
                """,
        });

        Assert.Equal(["k-1"], (await client.GetOpenComplaintsAsync("c-1")).Select(c => c.Id));
        Assert.Equal(["pr-1", "pr-2"], (await client.GetPromotionsAsync("c-1")).Select(p => p.Id));
        Assert.Equal(["CEM", "GIPS"], (await client.GetTopProductsAsync("c-1")).Select(p => p.ProductCode));
        Assert.Equal(["KLEJ"], (await client.GetRecommendationsAsync("c-1")).Select(p => p.ProductCode));
    }

    [Fact]
    public async Task PromotionsAndTopProducts_SameIdButDifferentEntries_BothKept()
    {
        var (client, _) = Create(request => request.RequestUri!.AbsolutePath.EndsWith("/promotions", StringComparison.Ordinal)
            ? """
              {"items":[{"id":"pr-1","title":"10%","productCode":"CEM-325-25","discountPercent":10},
                        {"id":"pr-1","title":"10%","productCode":"GIPS-20","discountPercent":10}]}
              """
            : """
              {"items":[{"productCode":"CEM-325-25","unit":"worek"},{"productCode":"CEM-325-25","unit":"paleta"}]}
              """);

        // One promotion may cover two products, one product be bought in two units: neither is a repeat.
        Assert.Equal(["CEM-325-25", "GIPS-20"], (await client.GetPromotionsAsync("c-1")).Select(p => p.ProductCode));
        Assert.Equal(["worek", "paleta"], (await client.GetTopProductsAsync("c-1")).Select(p => p.Unit));
        Assert.DoesNotContain(_logs.Lines, l => l.EventId.Id == 3011);
    }

    [Fact]
    public async Task ProductSearch_RepeatedProductDroppedBeforeItIsKept()
    {
        var (client, erp) = Create("""
            {"items":[
              {"code":"CEM-325-25","name":"Cement","unit":"worek","price":21.90,"stock":120},
              {"code":"CEM-325-25","name":"Cement","unit":"worek","price":21.90,"stock":120}],
             "page":1,"pageSize":10,"totalCount":2}
            """);

        var first = await client.SearchProductsAsync("32525");
        var again = await client.SearchProductsAsync("32525");

        Assert.Single(first);
        Assert.Single(again);
        Assert.Single(erp.Requests);
    }

    [Fact]
    public async Task Orders_NoRepeats_ListAsSentAndNothingLogged()
    {
        var (client, _) = Create("""
            {"items":[{"id":"o-1","number":"ZS/1","contactId":"c-1","status":"new"},{"id":"O-1","number":"ZS/2","contactId":"c-1","status":"new"}],
             "page":1,"pageSize":20,"totalCount":2}
            """);

        var orders = await client.GetOrdersAsync("c-1");

        Assert.Equal(["o-1", "O-1"], orders.Select(o => o.Id));
        Assert.DoesNotContain(_logs.Lines, l => l.EventId.Id == 3011);
    }

    private (ErpClient Client, StubErpHandler Erp) Create(string body) => Create(_ => body);

    private (ErpClient Client, StubErpHandler Erp) Create(Func<HttpRequestMessage, string> body)
    {
        var erp = new StubErpHandler((request, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, body(request)));
        var options = new ErpClientOptions { BaseUrl = new Uri("http://erp.test/api/v1/"), ReadRetries = 0 };
        var time = new ManualTimeProvider();
        var client = new ErpClient(new HttpClient(erp), options, timeProvider: time, logger: new LoggerFactory([_logs]).CreateLogger<ErpClient>(),
            cache: new ErpReadCache(time));
        return (client, erp);
    }
}
