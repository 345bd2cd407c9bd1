using System.Net;

namespace FunctionsIvr.ErpContractTests;

[Collection(ErpContractCollection.Name)]
public class CustomerInsightsContractTests(ErpUnderTest erp)
{
    [Fact]
    public async Task TopProducts_AnswersWhatTheContactOrdered_AtMostLimit()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        var list = await erp.GetObjectAsync("contacts/" + Uri.EscapeDataString(contactId) + "/top-products?limit=3");

        var items = Shape.Array(list, "items");
        Assert.InRange(items.Count, 1, 3);
        foreach (var item in items.Select(i => i!.AsObject()))
        {
            Shape.String(item, "productCode");
            Shape.String(item, "name");
            Shape.String(item, "unit");
            Assert.True(Shape.Number(item, "totalQuantity") > 0);
            Assert.True(Shape.Number(item, "orderCount") >= 1);
            Shape.Number(item, "price");
            Shape.String(item, "currency");
        }
    }

    [Fact]
    public async Task Recommendations_AnswersProductsWithPrices_AtMostLimit()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        var list = await erp.GetObjectAsync("contacts/" + Uri.EscapeDataString(contactId) + "/recommendations?limit=2");

        var items = Shape.Array(list, "items");
        Assert.True(items.Count <= 2);
        foreach (var item in items.Select(i => i!.AsObject()))
        {
            Shape.String(item, "productCode");
            Shape.String(item, "name");
            Shape.Number(item, "price");
            Shape.String(item, "currency");
            Shape.OptionalString(item, "reason");
        }
    }

    [Fact]
    public async Task Promotions_ForContact_AnswersPromotionsValidToday()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

        var list = await erp.GetObjectAsync("promotions?contactId=" + Uri.EscapeDataString(contactId));

        foreach (var promotion in Shape.Array(list, "items").Select(i => i!.AsObject()))
        {
            Shape.String(promotion, "id");
            Shape.String(promotion, "title");
            Shape.OptionalNumber(promotion, "discountPercent");
            Shape.OptionalNumber(promotion, "promoPrice");
            // A day of slack either side: the ERP's "today" may be in another time zone.
            Assert.True(Shape.Date(promotion, "validFrom") <= today.AddDays(1));
            Assert.True(Shape.Date(promotion, "validTo") >= today.AddDays(-1));
        }
    }

    [Fact]
    public async Task Complaints_OpenForContact_AnswersOnlyOpenOnesOfThatContact()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        var list = await erp.GetObjectAsync("complaints?contactId=" + Uri.EscapeDataString(contactId) + "&status=open");

        foreach (var complaint in Shape.Array(list, "items").Select(i => i!.AsObject()))
        {
            Shape.String(complaint, "id");
            Shape.String(complaint, "number");
            Assert.Equal(contactId, Shape.String(complaint, "contactId"));
            Assert.Equal("open", Shape.String(complaint, "status"));
            Shape.String(complaint, "subject");
            Shape.DateTime(complaint, "openedAt");
        }
    }

    [Fact]
    public async Task TopProducts_UnknownContact_Answers404Problem()
    {
        using var response = await erp.Client.GetAsync(new Uri("contacts/no-such-contact-0000/top-products", UriKind.Relative));

        await Shape.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
