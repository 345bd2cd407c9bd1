using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

public class ErpCallTraceTests
{
    [Fact]
    public void Record_NestedScopes_InnerCallCountsInBothAndOuterOnlyInOuter()
    {
        using var outer = ErpCallTrace.Begin();
        ErpCallTrace.Record(new ErpCallRecord("GET", "/contacts", 200, 12, 1, null));
        using (var inner = ErpCallTrace.Begin())
        {
            ErpCallTrace.Record(new ErpCallRecord("POST", "/transactions", 201, 80, 1, null));
            Assert.Single(inner.Calls);
        }

        ErpCallTrace.Record(new ErpCallRecord("GET", "/orders", null, 800, 1, ErpErrorKind.Timeout));
        Assert.Equal("GET /contacts 200 12 ms; POST /transactions 201 80 ms; GET /orders Timeout 800 ms", outer.Summary());
    }

    [Fact]
    public void Record_FromAnotherFlowWithoutAScope_IsNotSeen()
    {
        using var trace = ErpCallTrace.Begin();

        var elsewhere = new Thread(() => ErpCallTrace.Record(new ErpCallRecord("GET", "/x", 200, 1, 1, null)));
        using (ExecutionContext.SuppressFlow()) elsewhere.Start();
        elsewhere.Join();

        Assert.Empty(trace.Calls);
    }

    [Fact]
    public async Task Record_FromAwaitedWorkInsideTheScope_IsSeen()
    {
        using var trace = ErpCallTrace.Begin();

        await Task.Run(async () =>
        {
            await Task.Yield();
            ErpCallTrace.Record(new ErpCallRecord("GET", "/products", 200, 5, 2, null));
        });

        Assert.Equal("GET /products 200 5 ms x2", trace.Summary());
    }
}
