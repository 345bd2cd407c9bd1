using System.Net;
using System.Text.Json.Nodes;

namespace FunctionsIvr.ErpContractTests;

[Collection(ErpContractCollection.Name)]
public class OrdersContractTests(ErpUnderTest erp)
{
    private static readonly string[] Active = ["confirmed", "in_preparation", "shipped"];

    [Fact]
    public async Task OrdersOfContact_AnswersOnlyThatContactsOrdersWithFullShape()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        var page = await erp.GetObjectAsync("orders?contactId=" + Uri.EscapeDataString(contactId));

        var orders = Shape.Page(page);
        Assert.NotEmpty(orders);
        foreach (var order in orders)
        {
            Shape.Order(order!.AsObject());
            Assert.Equal(contactId, Shape.String(order.AsObject(), "contactId"));
        }
    }

    [Fact]
    public async Task OrdersOfContact_ActiveStatuses_AnswersEveryActiveOrderOfTheWholeList()
    {
        // An empty answer would pass a check of each order it holds, and every caller would hear "no orders".
        var contactId = Uri.EscapeDataString(Shape.String(await erp.KnownContactAsync(), "id"));
        var all = await AllAsync("orders?contactId=" + contactId);
        var active = all.Where(o => Active.Contains(Shape.String(o, "status"))).Select(o => Shape.String(o, "id")).Order().ToList();

        var filtered = await AllAsync("orders?contactId=" + contactId + "&status=" + string.Join(',', Active));

        Assert.Equal(active, filtered.Select(o => Shape.String(o, "id")).Order());
    }

    /// <summary>Every item of a paged list, page by page (100 a page) until a short page or totalCount.</summary>
    private async Task<List<JsonObject>> AllAsync(string path)
    {
        var items = new List<JsonObject>();
        for (var number = 1; number <= 50; number++)
        {
            var page = await erp.GetObjectAsync($"{path}&pageSize=100&page={number}");
            var pageItems = Shape.Page(page).Select(o => o!.AsObject()).ToList();
            items.AddRange(pageItems);
            var total = page["totalCount"] is null ? (int?)null : (int)Shape.Number(page, "totalCount");
            if (pageItems.Count < 100 || items.Count >= total) break;
        }

        return items;
    }

    [Fact]
    public async Task OrdersOfContact_ActiveStatuses_AnswersOnlyThoseWithDeliveryDates()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        var page = await erp.GetObjectAsync("orders?contactId=" + Uri.EscapeDataString(contactId) + "&status=" + string.Join(',', Active));

        foreach (var order in Shape.Page(page).Select(o => o!.AsObject()))
        {
            Assert.Contains(Shape.String(order, "status"), Active);
            Shape.Date(order, "estimatedDelivery");
        }
    }

    [Fact]
    public async Task OrderById_AnswersTheSameOrderAsTheList()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");
        var listed = Shape.Page(await erp.GetObjectAsync("orders?contactId=" + Uri.EscapeDataString(contactId)))[0]!.AsObject();

        var order = await erp.GetObjectAsync("orders/" + Uri.EscapeDataString(Shape.String(listed, "id")));

        Shape.Order(order);
        Assert.Equal(Shape.String(listed, "number"), Shape.String(order, "number"));
        Assert.Equal(Shape.Number(listed, "total"), Shape.Number(order, "total"));
    }

    [Fact]
    public async Task OrderById_UnknownId_Answers404Problem()
    {
        using var response = await erp.Client.GetAsync(new Uri("orders/no-such-order-0000", UriKind.Relative));

        await Shape.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateOrder_SameIdempotencyKeyTwice_CreatesOneOrder()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");
        var key = "contract-" + Guid.NewGuid().ToString("N");
        var body = new { contactId, lines = new[] { new { productCode = erp.ProductCode, quantity = 1 } }, callId = "contract-test" };

        using var first = await erp.PostAsync("orders", body, key);
        using var second = await erp.PostAsync("orders", body, key);

        var created = await Shape.OkObjectAsync(first, HttpStatusCode.Created);
        Shape.Order(created);
        Assert.Equal("confirmed", Shape.String(created, "status"));
        var replayed = await Shape.OkObjectAsync(second, HttpStatusCode.Created);
        Assert.Equal(Shape.String(created, "id"), Shape.String(replayed, "id"));
        await CancelAsync(Shape.String(created, "id"));
    }

    [Fact]
    public async Task UpdateOrder_NewLines_ReplacesLinesAndReprices()
    {
        var order = await CreateAsync(quantity: 1);
        var id = Shape.String(order, "id");

        using var response = await erp.PatchAsync("orders/" + Uri.EscapeDataString(id), new { lines = new[] { new { productCode = erp.ProductCode, quantity = 3 } } });

        var changed = await Shape.OkObjectAsync(response);
        Shape.Order(changed);
        var line = Assert.Single(Shape.Array(changed, "lines"))!.AsObject();
        Assert.Equal(3, Shape.Number(line, "quantity"));
        Assert.Equal(Shape.Number(line, "unitPrice") * 3, Shape.Number(changed, "total"));
        await CancelAsync(id);
    }

    [Fact]
    public async Task CancelOrder_Twice_BothAnswerTheCancelledOrder()
    {
        var id = Shape.String(await CreateAsync(quantity: 1), "id");

        var first = await CancelAsync(id);
        var second = await CancelAsync(id);

        Assert.Equal("cancelled", Shape.String(first, "status"));
        Assert.Equal("cancelled", Shape.String(second, "status"));
        var read = await erp.GetObjectAsync("orders/" + Uri.EscapeDataString(id));
        Assert.Equal("cancelled", Shape.String(read, "status"));
    }

    [Fact]
    public async Task CreateOrder_UnknownProduct_AnswersProblemNamingIt()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        using var response = await erp.PostAsync("orders",
            new { contactId, lines = new[] { new { productCode = "NO-SUCH-PRODUCT-0000", quantity = 1 } } }, "contract-" + Guid.NewGuid().ToString("N"));

        await Shape.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateOrder_NoLines_AnswersValidationProblem()
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");

        using var response = await erp.PostAsync("orders", new { contactId, lines = Array.Empty<object>() }, "contract-" + Guid.NewGuid().ToString("N"));

        await Shape.ProblemAsync(response, HttpStatusCode.BadRequest, HttpStatusCode.UnprocessableEntity);
    }

    private async Task<JsonObject> CreateAsync(int quantity)
    {
        var contactId = Shape.String(await erp.KnownContactAsync(), "id");
        using var response = await erp.PostAsync("orders",
            new { contactId, lines = new[] { new { productCode = erp.ProductCode, quantity } } }, "contract-" + Guid.NewGuid().ToString("N"));
        return await Shape.OkObjectAsync(response, HttpStatusCode.Created);
    }

    private async Task<JsonObject> CancelAsync(string id)
    {
        using var response = await erp.PatchAsync("orders/" + Uri.EscapeDataString(id), new { status = "cancelled" });
        var order = await Shape.OkObjectAsync(response);
        Shape.Order(order);
        return order;
    }
}
