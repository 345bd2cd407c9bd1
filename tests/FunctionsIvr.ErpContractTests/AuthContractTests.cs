using System.Net;

namespace FunctionsIvr.ErpContractTests;

[Collection(ErpContractCollection.Name)]
public class AuthContractTests(ErpUnderTest erp)
{
    [Fact]
    public async Task Request_WithoutCredentials_IsRefusedWithProblem()
    {
        using var response = await erp.Anonymous.GetAsync(new Uri("contacts?phone=" + Uri.EscapeDataString(erp.PhoneE164), UriKind.Relative));

        await Shape.ProblemAsync(response, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Request_WithWrongApiKey_IsRefusedWithProblem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("transactions", UriKind.Relative))
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { contactId = "c-1001", lines = new[] { new { productCode = erp.ProductCode, quantity = 1 } } }),
        };
        request.Headers.TryAddWithoutValidation(erp.ApiKeyHeader, "wrong-" + Guid.NewGuid().ToString("N"));

        using var response = await erp.Anonymous.SendAsync(request);

        await Shape.ProblemAsync(response, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
    }
}
