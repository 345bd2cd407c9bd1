using FunctionsIvr.DemoErp.Data;

namespace FunctionsIvr.DemoErp.Api;

public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/contacts");

        // With ?phone= the page holds the contacts calling from that number (normally one); without it, all contacts.
        contacts.MapGet("/", (DemoErpStore store, string? phone, int? page, int? pageSize) =>
        {
            var (p, size) = Paging.Read(page, pageSize, 50);
            return TypedResults.Ok(store.Contacts(phone, p, size));
        });

        contacts.MapGet("/{id}", (DemoErpStore store, string id) => TypedResults.Ok(store.Contact(id)));

        contacts.MapGet("/{id}/top-products", (DemoErpStore store, string id, int? limit) =>
            TypedResults.Ok(new ItemList<TopProduct>(store.TopProducts(id, Paging.Limit(limit)))));

        contacts.MapGet("/{id}/recommendations", (DemoErpStore store, string id, int? limit) =>
            TypedResults.Ok(new ItemList<Recommendation>(store.Recommendations(id, Paging.Limit(limit)))));
        return app;
    }
}
