namespace FunctionsIvr.Tests.Integration;

/// <summary>The DemoErp's regular customer (docs/erp-middleware.md, "Demo data"): several orders, reorders "the usual".</summary>
internal static class DemoCustomer
{
    public const string Phone = "48600100200";
    public const string ContactId = "c-1001";
}
