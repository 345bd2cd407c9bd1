using FunctionsIvr.DemoErp;
using FunctionsIvr.DemoErp.Data;
using Microsoft.Extensions.Options;

namespace FunctionsIvr.Tests.DemoErp;

/// <summary>What a load run needs from the DemoErp: stock that does not run out, and the placed orders to check.</summary>
public class DemoErpStoreTests
{
    [Fact]
    public void Products_DefaultOptions_KeepTheDocumentedSeed()
    {
        var store = Store();

        Assert.Equal(1200, Stock(store, "CEM-325-25"));
        Assert.Equal(120, Stock(store, "STYRO-EPS-100"));
        Assert.Equal(0, Stock(store, "TYNK-GIPS-30"));
    }

    [Fact]
    public void Products_StockMultiplier_MultipliesTheSeedAndOutOfStockStaysOut()
    {
        var store = Store(new DemoErpOptions { StockMultiplier = 1000 });

        Assert.Equal(1_200_000, Stock(store, "CEM-325-25"));
        Assert.Equal(0, Stock(store, "TYNK-GIPS-30"));
    }

    [Fact]
    public void Prepare_RepeatingTheUsualOrder_RunsOutOnTheSeedButNotWithAMultiplier()
    {
        var seeded = Store();
        var large = Store(new DemoErpOptions { StockMultiplier = 100 });

        // "The usual" of c-1001: 12 m3 EPS 100 (120 seeded) and 30 bags of C2TE (300 seeded).
        for (var i = 0; i < 10; i++) seeded.Prepare(Usual("call-" + i));
        var refused = Assert.Throws<ProblemException>(() => seeded.Prepare(Usual("call-10")));
        for (var i = 0; i < 500; i++) large.Prepare(Usual("call-" + i));

        Assert.Equal(409, refused.Status);
        Assert.Equal(120 * 100 - 500 * 12, Stock(large, "STYRO-EPS-100"));
    }

    [Fact]
    public void Reset_AfterOrders_RestoresTheMultipliedStock()
    {
        var store = Store(new DemoErpOptions { StockMultiplier = 3 });
        store.Commit(store.Prepare(Usual("call-1")).TransactionId);

        store.Reset();

        Assert.Equal(360, Stock(store, "STYRO-EPS-100"));
        Assert.Empty(store.PlacedOrders().Orders);
    }

    [Fact]
    public void PlacedOrders_CommitSentThreeTimes_OneOrderWithItsCallAndThreeCommitRequests()
    {
        var store = Store();
        var prepared = store.Prepare(Usual("call-a"));

        store.Commit(prepared.TransactionId);
        store.Commit(prepared.TransactionId);
        store.Commit(prepared.TransactionId);

        var placed = store.PlacedOrders();
        var order = Assert.Single(placed.Orders);
        Assert.Equal("call-a", order.CallId);
        Assert.Equal(prepared.TransactionId, order.TransactionId);
        Assert.Equal(prepared.OrderNumber, order.Number);
        Assert.Equal(3, order.CommitRequests);
        Assert.Equal(0, placed.OpenTransactions);
    }

    [Fact]
    public void PlacedOrders_SeedAndOpenTransactions_ListOnlyNewOrdersAndCountTheOpenOnes()
    {
        var store = Store();
        store.Prepare(Usual("call-open"));
        store.Abort(store.Prepare(Usual("call-aborted")).TransactionId);
        var direct = store.CreateOrder(new CreateOrderRequest("c-1004", [new OrderLineRequest("CEM-325-25", 5)], "call-direct", null));

        var placed = store.PlacedOrders();

        var order = Assert.Single(placed.Orders);
        Assert.Equal(direct.Id, order.Id);
        Assert.Equal("call-direct", order.CallId);
        Assert.Null(order.CommitRequests);
        Assert.Equal(1, placed.OpenTransactions);
    }

    private static DemoErpStore Store(DemoErpOptions? options = null) => new(TimeProvider.System, Options.Create(options ?? new DemoErpOptions()));

    private static PrepareTransactionRequest Usual(string callId) =>
        new("c-1001", [new OrderLineRequest("STYRO-EPS-100", 12), new OrderLineRequest("KLEJ-C2TE-25", 30)], callId, null);

    private static decimal Stock(DemoErpStore store, string code) =>
        store.Products(code, 1, 10).Items.Single(p => p.Code == code).Stock;
}
