using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FunctionsIvr.State;
using FunctionsIvr.State.Tables;
using FunctionsIvr.Tests.Erp;
using FunctionsIvr.Tests.State.Tables;
using FunctionsIvr.Tests.Work.ServiceBus;
using FunctionsIvr.Work;
using FunctionsIvr.Work.ServiceBus;
using Microsoft.Extensions.DependencyInjection;

namespace FunctionsIvr.Tests.Integration;

/// <summary>
/// The Azure path of an order: <c>ServiceBusConnection</c> set (the in-process fake namespace), <c>StateStorage</c>
/// on Azurite. The call sends CommitOrder to Service Bus; the message comes back as the Functions host delivers it,
/// to <c>POST /CommitOrder</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ServiceBusCommitTests : IClassFixture<DemoErpHost>, IAsyncLifetime
{
    private readonly AzuriteFixture _azurite;
    private readonly DemoErpHost _erp;
    private FakeServiceBusServer _bus = null!;
    private IntegrationApp _app = null!;

    public ServiceBusCommitTests(AzuriteFixture azurite, DemoErpHost erp)
    {
        _azurite = azurite;
        _erp = erp;
    }

    public async Task InitializeAsync()
    {
        _bus = await FakeServiceBusServer.StartAsync(QueueNames.WorkQueues);
        var connection = _bus.ConnectionString();
        _app = new IntegrationApp(
            _erp,
            new() { ["StateStorage"] = _azurite.ConnectionString, ["ServiceBusConnection"] = connection },
            // The namespace's address is https (as the client always uses); only the trust in the fake's self-signed certificate is added.
            services => services.AddSingleton(new ServiceBusRestClient(connection, new ServiceBusClientOptions { Transport = _bus.CreateTransport() })));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _bus.DisposeAsync();
    }

    [Fact]
    public void ServiceBusConnectionSet_WorkGoesToServiceBus()
    {
        Assert.IsType<ServiceBusWorkQueue>(_app.Services.GetRequiredService<IWorkQueue>());
        Assert.Equal(_bus.FullyQualifiedNamespace, _app.Services.GetRequiredService<ServiceBusRestClient>().FullyQualifiedNamespace);
    }

    [Fact]
    public async Task RepeatOrder_CommitOrderSentOnceWithTransactionIdThenDeliveredTwice_CommittedOnce()
    {
        var erp = _erp.CreateClient();
        var ordersBefore = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        var call = new CallDriver(_app, DemoCustomer.Phone);
        await call.SendAsync("Connected");
        await call.ListenUntilAskedAsync();
        await call.SendAsync("GetDTMF", "2");
        await call.ListenUntilAskedAsync();
        Assert.Equal("124", call.LastPrompt);
        var askedToConfirm = call.Session!.DeepClone();

        await call.SendAsync("GetDTMF", "1");
        var accepted = call.Last["Action"]!.ToJsonString();
        // The platform repeats the confirmation (its answer was lost): same Session, same keys.
        await call.SendAsync("GetDTMF", "1", askedToConfirm);

        Assert.Equal(accepted, call.Last["Action"]!.ToJsonString());
        var sent = Assert.Single(_bus.Messages(QueueNames.OrderCommits));
        var outboxTable = _azurite.CreateServiceClient().GetTableClient(TableOutboxStore.DefaultTableName);
        var queued = Assert.Single(await Rows(outboxTable, call.CallId));
        var transactionId = queued.RowKey;
        Assert.Equal(nameof(OutboxStatus.Queued), queued.GetString("Status"));
        Assert.Equal(transactionId, sent.BrokerProperties["MessageId"].GetString());
        Assert.Equal("CommitOrder", sent.BrokerProperties["Label"].GetString());
        Assert.Equal(call.CallId, sent.BrokerProperties["CorrelationId"].GetString());
        Assert.Equal("application/json", sent.ContentType);
        Assert.All(_bus.Requests.Where(r => r.Path.StartsWith(QueueNames.OrderCommits, StringComparison.Ordinal)),
            r => Assert.Equal(transactionId, r.MessageId));
        var beforeDelivery = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        Assert.DoesNotContain(beforeDelivery, o => ordersBefore.All(b => b.Id != o.Id));

        var first = await DeliverAsync(sent, deliveryCount: 1);
        var committed = Assert.Single(await Rows(outboxTable, call.CallId));
        var second = await DeliverAsync(sent, deliveryCount: 2);
        var afterRepeat = Assert.Single(await Rows(outboxTable, call.CallId));

        Assert.Equal(200, first);
        Assert.Equal(200, second);
        Assert.Equal(nameof(OutboxStatus.Committed), committed.GetString("Status"));
        Assert.Equal(committed.ETag, afterRepeat.ETag);
        var ordersAfter = await erp.GetOrdersAsync(DemoCustomer.ContactId, limit: 100);
        var added = Assert.Single(ordersAfter, o => ordersBefore.All(b => b.Id != o.Id));
        Assert.Equal(committed.GetString("OrderNumber"), added.Number);
    }

    /// <summary>What the Functions host posts for a Service Bus trigger: the body in Data.msg, the message's properties JSON-encoded in Metadata.</summary>
    private async Task<int> DeliverAsync(FakeServiceBusMessage message, int deliveryCount)
    {
        var metadata = new JsonObject
        {
            ["DeliveryCount"] = deliveryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ContentType"] = JsonSerializer.Serialize(message.ContentType),
            ["EnqueuedTimeUtc"] = "2026-11-21T10:00:00",
            ["ApplicationProperties"] = new JsonObject(message.ApplicationProperties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
        foreach (var (name, key) in new[] { ("MessageId", "MessageId"), ("Label", "Subject"), ("CorrelationId", "CorrelationId") })
        {
            if (message.BrokerProperties.TryGetValue(name, out var value)) metadata[key] = JsonSerializer.Serialize(value.GetString());
        }

        var payload = new JsonObject { ["Data"] = new JsonObject { ["msg"] = message.BodyText }, ["Metadata"] = metadata };
        using var client = _app.CreateClient();
        using var content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/CommitOrder", UriKind.Relative), content);
        return (int)response.StatusCode;
    }

    private static async Task<List<TableEntity>> Rows(TableClient table, string callId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CallId eq {callId}"))) rows.Add(row);
        return rows;
    }
}
