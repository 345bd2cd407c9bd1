using Microsoft.AspNetCore.Mvc.Testing;

namespace FunctionsIvr.Tests;

public class SmokeTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Root_Get_AnswersForHostHealthPing()
    {
        var response = await factory.CreateClient().GetAsync(new Uri("/", UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode);
    }
}
