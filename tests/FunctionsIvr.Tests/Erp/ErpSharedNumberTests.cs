using System.Net;
using FunctionsIvr.Erp;
using FunctionsIvr.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace FunctionsIvr.Tests.Erp;

/// <summary>
/// A number several contacts call from (a switchboard, a shared mobile) identifies nobody: the caller is served as a
/// guest, never as the first contact the ERP lists, whose orders and complaints another buyer would hear.
/// </summary>
public class ErpSharedNumberTests
{
    private const string TwoContacts = """
        {"items":[
          {"id":"c-2001","name":"Anna Lis","company":"Lis Bud","phones":["+48226001000"],"segment":"standard","language":"pl","blocked":false},
          {"id":"c-2002","name":"Piotr Lis","company":"Lis Bud","phones":["+48226001000"],"segment":"vip","language":"pl","blocked":false}],
         "page":1,"pageSize":20,"totalCount":2}
        """;

    private readonly CapturingLoggerProvider _logs = new();

    [Fact]
    public async Task TwoContactsOnOneNumber_NobodyIdentifiedAndTheErpOwnerWarned()
    {
        var (client, erp) = Create(TwoContacts);

        var contact = await client.FindContactByPhoneAsync("48226001000");
        var again = await client.FindContactByPhoneAsync("48226001000");

        Assert.Null(contact);
        Assert.Null(again);
        Assert.Single(erp.Requests); // the answer is kept like any other, so a busy switchboard does not ask each time
        var line = Assert.Single(_logs.Lines, l => l.EventId.Id == 3012);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Equal("2", line.Find("Count"));
        Assert.DoesNotContain("226001000", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneContactListedTwice_IsThatContact()
    {
        var one = """{"id":"c-2001","name":"Anna Lis","phones":["+48226001000"],"segment":"standard","language":"pl","blocked":false}""";
        var (client, _) = Create($$"""{"items":[{{one}},{{one}}],"page":1,"pageSize":20,"totalCount":2}""");

        var contact = await client.FindContactByPhoneAsync("48226001000");

        Assert.Equal("c-2001", contact?.Id);
        Assert.DoesNotContain(_logs.Lines, l => l.EventId.Id == 3012);
    }

    private (ErpClient Client, StubErpHandler Erp) Create(string body)
    {
        var erp = new StubErpHandler((_, _, _) => StubErpHandler.Reply(HttpStatusCode.OK, body));
        var options = new ErpClientOptions { BaseUrl = new Uri("http://erp.test/api/v1/"), ReadRetries = 0 };
        var time = new ManualTimeProvider();
        var client = new ErpClient(new HttpClient(erp), options, timeProvider: time, logger: new LoggerFactory([_logs]).CreateLogger<ErpClient>(),
            cache: new ErpReadCache(time));
        return (client, erp);
    }
}
