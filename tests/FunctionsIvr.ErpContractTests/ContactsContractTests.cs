using System.Net;

namespace FunctionsIvr.ErpContractTests;

[Collection(ErpContractCollection.Name)]
public class ContactsContractTests(ErpUnderTest erp)
{
    [Fact]
    public async Task ContactsByPhone_E164Number_FindsTheCallerWithFullShape()
    {
        var page = await erp.GetObjectAsync("contacts?phone=" + Uri.EscapeDataString(erp.PhoneE164));

        var contact = Assert.Single(Shape.Page(page))!.AsObject();
        Shape.Contact(contact);
        Assert.Contains(erp.PhoneE164, Shape.Array(contact, "phones").Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task ContactsByPhone_PlatformFormatWithoutPlus_FindsTheSameContact()
    {
        var withPlus = await erp.KnownContactAsync();

        var page = await erp.GetObjectAsync("contacts?phone=" + erp.PhoneE164.TrimStart('+'));

        Assert.Equal(Shape.String(withPlus, "id"), Shape.String(Assert.Single(Shape.Page(page))!.AsObject(), "id"));
    }

    [Fact]
    public async Task ContactsByPhone_UnknownNumber_AnswersAnEmptyPageNot404()
    {
        var page = await erp.GetObjectAsync("contacts?phone=" + Uri.EscapeDataString("+" + erp.UnknownPhone.TrimStart('+')));

        Assert.Empty(Shape.Page(page));
    }

    [Fact]
    public async Task Contacts_WithoutPhone_ListsContactsInPages()
    {
        var first = await erp.GetObjectAsync("contacts?page=1&pageSize=2");
        var second = await erp.GetObjectAsync("contacts?page=2&pageSize=2");

        var firstItems = Shape.Page(first);
        Assert.Equal(2, Shape.Number(first, "pageSize"));
        Assert.Equal(2, Shape.Number(second, "page"));
        foreach (var contact in firstItems.Concat(Shape.Page(second))) Shape.Contact(contact!.AsObject());
        var firstIds = firstItems.Select(c => Shape.String(c!.AsObject(), "id"));
        Assert.Empty(firstIds.Intersect(Shape.Page(second).Select(c => Shape.String(c!.AsObject(), "id"))));
    }

    [Fact]
    public async Task ContactById_KnownId_AnswersTheContact()
    {
        var known = await erp.KnownContactAsync();

        var contact = await erp.GetObjectAsync("contacts/" + Uri.EscapeDataString(Shape.String(known, "id")));

        Shape.Contact(contact);
        Assert.Equal(Shape.String(known, "name"), Shape.String(contact, "name"));
    }

    [Fact]
    public async Task ContactById_UnknownId_Answers404Problem()
    {
        using var response = await erp.Client.GetAsync(new Uri("contacts/no-such-contact-0000", UriKind.Relative));

        await Shape.ProblemAsync(response, HttpStatusCode.NotFound);
    }
}
