using FunctionsIvr.DemoErp.Data;

namespace FunctionsIvr.DemoErp.Api;

internal static class Paging
{
    public static (int Page, int PageSize) Read(int? page, int? pageSize, int defaultSize = 20)
    {
        var p = page ?? 1;
        var size = pageSize ?? defaultSize;
        if (p < 1) throw ProblemException.Validation("page starts at 1.", "page");
        if (size is < 1 or > 100) throw ProblemException.Validation("pageSize must be between 1 and 100.", "pageSize");
        return (p, size);
    }

    public static int Limit(int? limit, int defaultLimit = 5)
    {
        var l = limit ?? defaultLimit;
        return l is >= 1 and <= 50 ? l : throw ProblemException.Validation("limit must be between 1 and 50.", "limit");
    }
}
