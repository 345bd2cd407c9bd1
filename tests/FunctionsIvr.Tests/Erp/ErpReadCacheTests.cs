using System.Net;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

/// <summary>Contacts and product searches answered from memory for a short while; everything else always from the ERP.</summary>
public class ErpReadCacheTests
{
    private const string ContactPage = """
        {"items":[{"id":"c-1001","name":"Jan Kowalski","phones":["+48600100200"],"segment":"standard"}],"page":1,"pageSize":50,"totalCount":1}
        """;

    private const string ProductPage = """
        {"items":[{"code":"CEM-325-25","name":"Cement","unit":"worek","price":21.90,"currency":"PLN","stock":120}],"page":1,"pageSize":10,"totalCount":1}
        """;

    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task FindContact_SameNumberTwiceWithinTheCacheTime_AsksTheErpOnce()
    {
        var (client, erp) = Create(_ => ContactPage);

        var first = await client.FindContactByPhoneAsync("48600100200");
        _time.Advance(TimeSpan.FromSeconds(59));
        var second = await client.FindContactByPhoneAsync("+48 600 100 200");

        Assert.Equal("c-1001", first?.Id);
        Assert.Equal("c-1001", second?.Id);
        Assert.Single(erp.Requests);
    }

    [Fact]
    public async Task FindContact_AfterTheCacheTime_AsksTheErpAgainAndSeesTheChange()
    {
        var blocked = false;
        var (client, erp) = Create(_ => blocked ? ContactPage.Replace("standard", "blocked", StringComparison.Ordinal) : ContactPage);

        await client.FindContactByPhoneAsync("48600100200");
        blocked = true;
        _time.Advance(TimeSpan.FromSeconds(61));
        var later = await client.FindContactByPhoneAsync("48600100200");

        Assert.Equal("blocked", later?.Segment);
        Assert.Equal(2, erp.Requests.Count);
    }

    [Fact]
    public async Task FindContact_UnknownNumber_RememberedAsUnknown()
    {
        var (client, erp) = Create(_ => """{"items":[],"page":1,"pageSize":50,"totalCount":0}""");

        Assert.Null(await client.FindContactByPhoneAsync("48609999999"));
        Assert.Null(await client.FindContactByPhoneAsync("48609999999"));

        Assert.Single(erp.Requests);
    }

    [Fact]
    public async Task FindContact_ErpFailed_FailureIsNotRememberedAndTheNextCallAsksAgain()
    {
        var failing = true;
        var erp = new StubErpHandler((_, _, _) => failing
            ? StubErpHandler.Reply(HttpStatusCode.ServiceUnavailable)
            : StubErpHandler.Reply(HttpStatusCode.OK, ContactPage));
        var client = Client(erp);

        await Assert.ThrowsAsync<ErpException>(() => client.FindContactByPhoneAsync("48600100200"));
        failing = false;
        var contact = await client.FindContactByPhoneAsync("48600100200");

        Assert.Equal("c-1001", contact?.Id);
    }

    [Fact]
    public async Task SearchProducts_SameCodeWithinTheCacheTime_AsksOnceButOtherCodesAndLaterSearchesAsk()
    {
        var (client, erp) = Create(_ => ProductPage);

        await client.SearchProductsAsync("32525");
        await client.SearchProductsAsync("32525");
        await client.SearchProductsAsync("12345");
        _time.Advance(TimeSpan.FromSeconds(31));
        var later = await client.SearchProductsAsync("32525");

        Assert.Equal(21.90m, Assert.Single(later).Price);
        Assert.Equal(3, erp.Requests.Count);
    }

    [Fact]
    public async Task CacheTimesZero_EveryLookupAsksTheErp()
    {
        var (client, erp) = Create(request => request.RequestUri!.AbsolutePath.EndsWith("/contacts", StringComparison.Ordinal) ? ContactPage : ProductPage,
            o => (o.ContactCacheSeconds, o.ProductCacheSeconds) = (0, 0));

        await client.FindContactByPhoneAsync("48600100200");
        await client.FindContactByPhoneAsync("48600100200");
        await client.SearchProductsAsync("32525");
        await client.SearchProductsAsync("32525");

        Assert.Equal(4, erp.Requests.Count);
    }

    [Fact]
    public async Task Orders_AreNeverTakenFromTheCache()
    {
        var (client, erp) = Create(_ => """{"items":[],"page":1,"pageSize":20,"totalCount":0}""");

        await client.GetOrdersAsync("c-1001");
        await client.GetOrdersAsync("c-1001");

        Assert.Equal(2, erp.Requests.Count);
    }

    [Fact]
    public void Cache_Full_DropsExpiredEntriesFirstAndNeverGrowsPastItsLimit()
    {
        var cache = new ErpReadCache(_time, maxEntries: 3);
        cache.Set("old", "a", TimeSpan.FromSeconds(1));
        cache.Set("fresh-1", "b", TimeSpan.FromMinutes(1));
        cache.Set("fresh-2", "c", TimeSpan.FromMinutes(1));
        _time.Advance(TimeSpan.FromSeconds(2));

        cache.Set("fresh-3", "d", TimeSpan.FromMinutes(1));

        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet<string>("fresh-1", out var kept));
        Assert.Equal("b", kept);
        Assert.False(cache.TryGet<string>("old", out _));
        for (var i = 0; i < 10; i++) cache.Set("more-" + i, "x", TimeSpan.FromMinutes(1));
        Assert.True(cache.Count <= 3);
    }

    private (ErpClient Client, StubErpHandler Erp) Create(Func<HttpRequestMessage, string> body, Action<ErpClientOptions>? configure = null)
    {
        var erp = new StubErpHandler((request, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, body(request)));
        return (Client(erp, configure), erp);
    }

    private ErpClient Client(StubErpHandler erp, Action<ErpClientOptions>? configure = null)
    {
        var options = new ErpClientOptions { BaseUrl = new Uri("http://erp.test/api/v1/"), ReadRetries = 0 };
        configure?.Invoke(options);
        return new ErpClient(new HttpClient(erp), options, timeProvider: _time, cache: new ErpReadCache(_time));
    }
}
