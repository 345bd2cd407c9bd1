using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.Tests.DemoErp;

/// <summary>The DemoErp against docs/erp-middleware.openapi.yaml: answers the contract documents.</summary>
public class DemoErpConformanceTests
{
    [Fact]
    public async Task Request_WithoutApiKey_Answers401WithWwwAuthenticate()
    {
        using var factory = new WebApplicationFactory<FunctionsIvr.DemoErp.Program>();
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.GetAsync(new Uri("/contacts?phone=%2B48600100200", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // Contract: components.responses.Unauthorized declares WWW-Authenticate (RFC 9110 §15.5.2: a 401 MUST send it).
        Assert.True(response.Headers.WwwAuthenticate.Count > 0, "401 without WWW-Authenticate");
    }

    [Fact]
    public async Task Prepare_SameKeyTwiceAtOnce_OneTransactionOneReservation()
    {
        using var factory = new WebApplicationFactory<FunctionsIvr.DemoErp.Program>();
        using var erp = Client(factory);
        var body = new { contactId = "c-1004", lines = new[] { new { productCode = "FOLIA-PAR-02", quantity = 10 } } };

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/transactions") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "same-basket");
            using var response = await erp.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transactionId").GetString();
        }));

        Assert.Single(answers.Distinct());
        var stock = await erp.GetFromJsonAsync<JsonElement>("/products?search=FOLIA-PAR-02");
        Assert.Equal(50m, stock.GetProperty("items")[0].GetProperty("stock").GetDecimal());
    }

    [Fact]
    public async Task Prepare_SameKeyOtherBody_Answers422IdempotencyKeyReused()
    {
        using var factory = new WebApplicationFactory<FunctionsIvr.DemoErp.Program>();
        using var erp = Client(factory);

        using var first = await Post(erp, "/transactions", new { contactId = "c-1004", lines = new[] { new { productCode = "FOLIA-PAR-02", quantity = 1 } } }, "k1");
        using var second = await Post(erp, "/transactions", new { contactId = "c-1004", lines = new[] { new { productCode = "FOLIA-PAR-02", quantity = 2 } } }, "k1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("urn:functionsivr:erp:idempotency-key-reused",
            (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    private static HttpClient Client(WebApplicationFactory<FunctionsIvr.DemoErp.Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "demo-key");
        return client;
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
