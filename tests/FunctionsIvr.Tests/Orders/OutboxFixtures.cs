using FunctionsIvr.Orders;
using FunctionsIvr.State;
using FunctionsIvr.Work;

namespace FunctionsIvr.Tests.Orders;

/// <summary>Outbox entries and commit messages as the placement writes them.</summary>
internal static class OutboxFixtures
{
    public static readonly DateTimeOffset PreparedAt = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    public static OutboxEntry Entry(string transactionId = "tx-0001", OutboxStatus status = OutboxStatus.Queued, int? turn = null) => new(transactionId)
    {
        CallId = "call-abc",
        Turn = turn,
        ContactId = "C-1001",
        OrderNumber = "ZS/2026/001400",
        Total = 547.50m,
        Currency = "PLN",
        Status = status,
        MessageBody = new CommitOrder(transactionId, "call-abc", "C-1001", "ZS/2026/001400", PreparedAt).ToJson(),
        PreparedAt = PreparedAt,
        ExpiresAt = PreparedAt.AddMinutes(10),
        UpdatedAt = PreparedAt,
    };

    public static ReceivedWork Delivery(OutboxEntry entry, int deliveryCount = 1) =>
        new(CommitOrder.ToWorkMessage(entry.TransactionId, entry.CallId, entry.MessageBody), deliveryCount, PreparedAt);
}
