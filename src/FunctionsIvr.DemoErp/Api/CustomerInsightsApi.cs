using FunctionsIvr.DemoErp.Data;

namespace FunctionsIvr.DemoErp.Api;

/// <summary>What the IVR may mention to a caller: promotions and open complaints.</summary>
public static class CustomerInsightsApi
{
    public static IEndpointRouteBuilder MapCustomerInsightsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/promotions", (DemoErpStore store, string? contactId) =>
            TypedResults.Ok(new ItemList<Promotion>(store.Promotions(contactId))));

        app.MapGet("/complaints", (DemoErpStore store, string? contactId, string? status) =>
        {
            if (status is not (null or "open" or "closed")) throw ProblemException.Validation("status is 'open' or 'closed'.", "status");
            return TypedResults.Ok(new ItemList<Complaint>(store.Complaints(contactId, status)));
        });
        return app;
    }
}
