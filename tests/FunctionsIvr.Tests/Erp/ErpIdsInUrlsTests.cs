using System.Net;
using FunctionsIvr.Erp;

namespace FunctionsIvr.Tests.Erp;

/// <summary>An id from the ERP or the Session stays one path segment of its own collection.</summary>
public class ErpIdsInUrlsTests
{
    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    public async Task DotSegmentId_NotSentAndReadAsUnknown(string id)
    {
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, """{"items":[]}"""));
        var client = new ErpClient(new HttpClient(erp), new ErpClientOptions { BaseUrl = new Uri("http://erp.test/api/v1/"), ReadRetries = 0 });

        // contacts/../top-products would be {base}/top-products; orders/.. the API root, for a PATCH.
        var read = await Assert.ThrowsAsync<ErpException>(() => client.GetTopProductsAsync(id, 3));
        var cancel = await Assert.ThrowsAsync<ErpException>(() => client.CancelOrderAsync(id));

        Assert.Equal(ErpErrorKind.NotFound, read.Kind);
        Assert.Equal(ErpErrorKind.NotFound, cancel.Kind);
        Assert.Empty(erp.Requests);
    }

    [Theory]
    [InlineData("...", "contacts/...")]
    [InlineData("a/..", "contacts/a%2F..")]
    [InlineData("%2E%2E", "contacts/%252E%252E")]
    public async Task OtherIdsWithDotsOrSlashes_StayOneSegment(string id, string expectedPath)
    {
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, """{"items":[]}"""));
        var client = new ErpClient(new HttpClient(erp), new ErpClientOptions { BaseUrl = new Uri("http://erp.test/api/v1/"), ReadRetries = 0 });

        await client.GetTopProductsAsync(id, 3);

        Assert.StartsWith("http://erp.test/api/v1/" + expectedPath + "/top-products", Assert.Single(erp.Requests).Uri.AbsoluteUri, StringComparison.Ordinal);
    }
}
