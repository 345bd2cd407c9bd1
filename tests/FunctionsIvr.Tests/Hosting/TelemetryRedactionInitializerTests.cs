using FunctionsIvr.Hosting;
using Microsoft.ApplicationInsights.DataContracts;

namespace FunctionsIvr.Tests.Hosting;

public class TelemetryRedactionInitializerTests
{
    private readonly TelemetryRedactionInitializer _sut = new();

    [Fact]
    public void Initialize_ForwardedWebhookRequest_DropsTheFunctionKey()
    {
        var request = new RequestTelemetry { Url = new Uri("https://ivr.example.net/api/ivr?code=secret-function-key") };

        _sut.Initialize(request);

        Assert.Equal("https://ivr.example.net/api/ivr", request.Url.ToString());
    }

    [Fact]
    public void Initialize_ErpCallWithRoute_IsNamedByTheRouteWithoutIdsOrPhone()
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "https://erp.example.com/ivr/contacts?phone=48600100200");
        message.Options.Set(CallTelemetry.RouteOption, "/contacts");
        var dependency = new DependencyTelemetry("Http", "erp.example.com", "GET /ivr/contacts", message.RequestUri!.ToString());
        dependency.SetOperationDetail("HttpRequest", message);

        _sut.Initialize(dependency);

        Assert.Equal("GET /contacts", dependency.Name);
        Assert.DoesNotContain("48600100200", dependency.Data, StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_OtherHttpCall_KeepsThePathDropsTheQuery()
    {
        var dependency = new DependencyTelemetry("Http", "account.table.core.windows.net", "GET /callstate()",
            "https://account.table.core.windows.net/callstate()?$filter=PartitionKey%20eq%20'48600100200'");

        _sut.Initialize(dependency);

        Assert.Equal("https://account.table.core.windows.net/callstate()", dependency.Data);
    }
}
