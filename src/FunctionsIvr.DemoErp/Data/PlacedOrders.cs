namespace FunctionsIvr.DemoErp.Data;

/// <summary>The body of <c>GET /admin/placed-orders</c>: not part of the contract, a check for load tests.</summary>
/// <param name="OpenTransactions">Prepared transactions neither committed, aborted nor expired yet.</param>
public sealed record PlacedOrders(IReadOnlyList<PlacedOrder> Orders, int OpenTransactions);

/// <param name="CommitRequests">How many commit requests the order's transaction received (redeliveries included);
/// null for an order created directly by <c>POST /orders</c>.</param>
public sealed record PlacedOrder(string Id, string Number, string ContactId, string? CallId, string? TransactionId, int? CommitRequests, string Status);
