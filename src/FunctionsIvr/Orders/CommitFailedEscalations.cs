using FunctionsIvr.Erp;
using FunctionsIvr.Escalations;

namespace FunctionsIvr.Orders;

/// <summary>
/// The escalation for an order the caller heard "accepted" but the ERP never turned into an order. Its id is stable per
/// transaction, so the processor and the sweep escalating the same failure produce one ticket.
/// </summary>
internal static class CommitFailedEscalations
{
    public static Escalation Create(
        string transactionId, string? callId, string? contactId, string? orderNumber, string detail, Contact? contact, DateTimeOffset raisedAt) => new()
    {
        EscalationId = EscalationMessages.StableId(EscalationReason.CommitFailed, transactionId),
        Reason = EscalationReason.CommitFailed,
        Detail = detail,
        CallId = NullIfEmpty(callId),
        ContactId = NullIfEmpty(contactId),
        ContactName = contact?.Name,
        Company = contact?.Company,
        Segment = contact?.Segment,
        OrderId = NullIfEmpty(orderNumber),
        TransactionId = transactionId,
        RaisedAt = raisedAt,
        Recipient = AccountManagerRecipients.From(contact?.AccountManager),
        Notes = "The caller was told on the phone that this order was accepted. Place it again or call the customer back.",
    };

    /// <summary>The contact for the ticket (name, company, account manager); a ticket without them beats no ticket.</summary>
    public static async Task<Contact?> TryGetContactAsync(ErpClient erp, string? contactId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(contactId)) return null;
        try
        {
            return await erp.GetContactAsync(contactId, cancellationToken);
        }
        catch (ErpException)
        {
            return null;
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
