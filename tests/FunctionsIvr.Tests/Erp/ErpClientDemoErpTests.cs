using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

/// <summary>The client against the reference ERP: what each demo caller looks like to a flow.</summary>
public class ErpClientDemoErpTests(DemoErpHost demo) : IClassFixture<DemoErpHost>
{
    private readonly ErpClient _sut = demo.CreateClient();

    [Fact]
    public async Task FindContactByPhone_RegularCustomerAsThePlatformSendsIt_FindsKowalski()
    {
        var contact = await _sut.FindContactByPhoneAsync("48600100200");

        Assert.NotNull(contact);
        Assert.Equal("c-1001", contact.Id);
        Assert.Equal("Kowalski Budownictwo Sp. z o.o.", contact.Company);
        Assert.False(contact.IsVip);
        Assert.False(contact.Blocked);
    }

    [Fact]
    public async Task FindContactByPhone_SecondNumberOfTheContactInNationalFormat_FindsTheSameContact()
    {
        var contact = await _sut.FindContactByPhoneAsync("22 555 01 23");

        Assert.Equal("c-1001", contact?.Id);
    }

    [Fact]
    public async Task FindContactByPhone_Vip_HasAccountManagerReachableOnWhatsApp()
    {
        var contact = await _sut.FindContactByPhoneAsync("48601200300");

        Assert.NotNull(contact);
        Assert.True(contact.IsVip);
        Assert.Equal("am_nowak", contact.AccountManager?.Login);
        Assert.Equal(ContactChannels.WhatsApp, contact.AccountManager?.PreferredChannel);
        Assert.Equal("+48602300400", contact.AccountManager?.WhatsApp);
    }

    [Fact]
    public async Task FindContactByPhone_BlockedNumber_IsFlaggedAndCannotOrder()
    {
        var contact = await _sut.FindContactByPhoneAsync("48603300400");
        Assert.NotNull(contact);
        Assert.True(contact.Blocked);

        var e = await Assert.ThrowsAsync<ErpException>(() => _sut.PrepareTransactionAsync(
            new PrepareTransactionRequest { ContactId = contact.Id, Lines = [new OrderLineRequest("CEM-325-25", 1)] }, "blocked-1"));

        Assert.Equal(ErpErrorKind.Rejected, e.Kind);
        Assert.Equal(ErpProblemTypes.ContactBlocked, e.Problem?.Type);
    }

    [Fact]
    public async Task FindContactByPhone_UnknownNumber_Null()
    {
        Assert.Null(await _sut.FindContactByPhoneAsync("48609999999"));
    }

    [Fact]
    public async Task FindContactByPhone_ForeignNumber_KeepsItsCountryAndFindsTheEnglishSpeaker()
    {
        var contact = await _sut.FindContactByPhoneAsync("46701234567");

        Assert.Equal("en", contact?.Language);
    }

    [Fact]
    public async Task GetOrders_ActiveOfRegularCustomer_TwoOrdersWithDeliveryDatesAhead()
    {
        var orders = await _sut.GetOrdersAsync("c-1001", OrderStatuses.Active);

        Assert.Equal(2, orders.Count);
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        Assert.All(orders, o => Assert.True(o.EstimatedDelivery >= today));
        Assert.All(orders, o => Assert.Contains(o.Status, OrderStatuses.Active));
        Assert.All(orders, o => Assert.Equal(o.Lines.Sum(l => l.LineTotal), o.Total));
    }

    [Fact]
    public async Task GetOrders_CustomerWithoutOrders_Empty()
    {
        var contact = await _sut.FindContactByPhoneAsync("48604400500");

        Assert.NotNull(contact);
        Assert.Empty(await _sut.GetOrdersAsync(contact.Id));
        Assert.Null(contact.AccountManager);
    }

    [Fact]
    public async Task GetOrder_UnknownId_NotFound()
    {
        var e = await Assert.ThrowsAsync<ErpException>(() => _sut.GetOrderAsync("o-0"));

        Assert.Equal(ErpErrorKind.NotFound, e.Kind);
    }

    [Fact]
    public async Task PrepareCommitCommit_SameOrderBothTimes_AndTheNumberIsTheOneReadToTheCaller()
    {
        var prepared = await _sut.PrepareTransactionAsync(
            new PrepareTransactionRequest { ContactId = "c-1001", Lines = [new OrderLineRequest("ZAP-M10-25", 10)], CallId = "call-1" }, "call-1-basket-1");

        var first = await _sut.CommitTransactionAsync(prepared.TransactionId);
        var second = await _sut.CommitTransactionAsync(prepared.TransactionId);

        Assert.Equal(164.00m, prepared.Total);
        Assert.Equal(prepared.OrderNumber, first.Order?.Number);
        Assert.Equal(first.Order?.Id, second.Order?.Id);
        Assert.Contains(await _sut.GetOrdersAsync("c-1001", [OrderStatuses.Confirmed]), o => o.Number == prepared.OrderNumber);
    }

    [Fact]
    public async Task Prepare_RepeatedWithTheSameKey_OneReservation()
    {
        var request = new PrepareTransactionRequest { ContactId = "c-1002", Lines = [new OrderLineRequest("PROF-CW50", 100)] };
        var before = (await _sut.SearchProductsAsync("PROF-CW50"))[0].Stock;

        var first = await _sut.PrepareTransactionAsync(request, "vip-call-7");
        var second = await _sut.PrepareTransactionAsync(request, "vip-call-7");

        Assert.Equal(first.TransactionId, second.TransactionId);
        Assert.Equal(before - 100, (await _sut.SearchProductsAsync("PROF-CW50"))[0].Stock);
        Assert.Equal(TransactionStatuses.Aborted, (await _sut.AbortTransactionAsync(first.TransactionId)).Status);
        Assert.Equal(before, (await _sut.SearchProductsAsync("PROF-CW50"))[0].Stock);
    }

    [Fact]
    public async Task CreateUpdateCancelOrder_ThroughTheClient_EndsCancelled()
    {
        var order = await _sut.CreateOrderAsync(
            new CreateOrderRequest { ContactId = "c-1005", Lines = [new OrderLineRequest("WEL-MIN-15", 10)] }, "web-order-1");

        var changed = await _sut.UpdateOrderAsync(order.Id, new UpdateOrderRequest { Lines = [new OrderLineRequest("WEL-MIN-15", 20)] });
        var cancelled = await _sut.CancelOrderAsync(order.Id);

        Assert.Equal(372.00m, changed.Total);
        Assert.Equal(OrderStatuses.Cancelled, cancelled.Status);
    }

    [Fact]
    public async Task UpdateOrder_ShippedOrder_Rejected()
    {
        var shipped = (await _sut.GetOrdersAsync("c-1001", [OrderStatuses.Shipped])).Single();

        var e = await Assert.ThrowsAsync<ErpException>(() => _sut.CancelOrderAsync(shipped.Id));

        Assert.Equal(ErpErrorKind.Rejected, e.Kind);
        Assert.Equal(ErpProblemTypes.OrderNotChangeable, e.Problem?.Type);
    }

    [Fact]
    public async Task SearchProducts_ByName_FindsCementsWithPricesInPln()
    {
        var products = await _sut.SearchProductsAsync("cement");

        Assert.Equal(["CEM-325-25", "CEM-425-25"], products.Select(p => p.Code));
        Assert.All(products, p => Assert.Equal("PLN", p.Currency));
    }

    [Fact]
    public async Task Insights_RegularCustomer_OpenComplaintTopProductsRecommendationsAndPromotions()
    {
        var complaints = await _sut.GetOpenComplaintsAsync("c-1001");
        var top = await _sut.GetTopProductsAsync("c-1001", 3);
        var recommendations = await _sut.GetRecommendationsAsync("c-1001", 3);
        var promotions = await _sut.GetPromotionsAsync("c-1001");

        Assert.Equal("am_zielinski", Assert.Single(complaints).AssignedTo);
        var cement = Assert.Single(top, t => t.ProductCode == "CEM-325-25");
        Assert.Equal((2, 100m), (cement.OrderCount, cement.TotalQuantity));
        Assert.NotEmpty(recommendations);
        Assert.DoesNotContain(recommendations, r => top.Any(t => t.ProductCode == r.ProductCode));
        Assert.DoesNotContain(promotions, p => p.Id == "pr-vip-eps");
        Assert.Contains(await _sut.GetPromotionsAsync("c-1002"), p => p.Id == "pr-vip-eps");
    }

    [Fact]
    public async Task CallRecord_CreatedWithPlatformNumbersAndUpdated_KeepsE164NumbersAndTheOutcome()
    {
        var created = await _sut.CreateCallRecordAsync(new CreateCallRecordRequest
        {
            CallId = "uc-123", FromNumber = "48601200300", DialledNumber = "48221234567", ContactId = "c-1002", Card = "VIP calling",
        });
        var again = await _sut.CreateCallRecordAsync(new CreateCallRecordRequest
        {
            CallId = "uc-123", FromNumber = "48601200300", DialledNumber = "48221234567", ContactId = "c-1002", Card = "VIP calling",
        });

        var updated = await _sut.UpdateCallRecordAsync(created.Id,
            new UpdateCallRecordRequest { Outcome = CallOutcomes.Transferred, TransferredTo = "am_nowak" });

        Assert.Equal(created.Id, again.Id);
        Assert.Equal("+48221234567", updated.DialledNumber);
        Assert.Equal("+48601200300", updated.FromNumber);
        Assert.Equal(CallOutcomes.Transferred, updated.Outcome);
        Assert.Equal("VIP calling", updated.Card);
    }

    [Fact]
    public async Task AnyCall_WrongApiKey_Unauthorized()
    {
        var client = demo.CreateClient(o => o.ApiKey = "wrong");

        var e = await Assert.ThrowsAsync<ErpException>(() => client.FindContactByPhoneAsync("48600100200"));

        Assert.Equal(ErpErrorKind.Unauthorized, e.Kind);
    }
}
