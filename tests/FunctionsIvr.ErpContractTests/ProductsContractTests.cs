namespace FunctionsIvr.ErpContractTests;

[Collection(ErpContractCollection.Name)]
public class ProductsContractTests(ErpUnderTest erp)
{
    [Fact]
    public async Task ProductSearch_ExactCode_PutsThatProductFirst()
    {
        var page = await erp.GetObjectAsync("products?search=" + Uri.EscapeDataString(erp.ProductCode));

        var items = Shape.Page(page);
        Assert.NotEmpty(items);
        foreach (var item in items) Shape.Product(item!.AsObject());
        Assert.Equal(erp.ProductCode, Shape.String(items[0]!.AsObject(), "code"), ignoreCase: true);
    }

    [Fact]
    public async Task ProductSearch_KeypadDigitsOfTheCode_FindOnlyThatProduct()
    {
        var digits = new string(erp.ProductCode.Where(char.IsAsciiDigit).ToArray());

        var items = Shape.Page(await erp.GetObjectAsync("products?search=" + digits));

        var item = Assert.Single(items);
        Assert.Equal(erp.ProductCode, Shape.String(item!.AsObject(), "code"), ignoreCase: true);
    }

    [Fact]
    public async Task ProductSearch_PartOfTheName_FindsTheProduct()
    {
        var byCode = await erp.GetObjectAsync("products?search=" + Uri.EscapeDataString(erp.ProductCode));
        var name = Shape.String(Shape.Page(byCode)[0]!.AsObject(), "name");
        var word = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderByDescending(w => w.Length).First().ToLowerInvariant();

        var byName = await erp.GetObjectAsync("products?search=" + Uri.EscapeDataString(word) + "&pageSize=50");

        Assert.Contains(Shape.Page(byName), p => string.Equals(Shape.String(p!.AsObject(), "code"), erp.ProductCode, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ProductSearch_NothingMatches_AnswersAnEmptyPage()
    {
        var page = await erp.GetObjectAsync("products?search=zzqx-no-such-product-9431");

        Assert.Empty(Shape.Page(page));
    }
}
