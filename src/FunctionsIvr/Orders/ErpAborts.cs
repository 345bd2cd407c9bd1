using FunctionsIvr.Erp;

namespace FunctionsIvr.Orders;

/// <summary>Aborting a prepared ERP transaction, read the one way the sweep and the withdrawal both need.</summary>
internal static class ErpAborts
{
    /// <returns>
    /// False when nothing is ordered any more (aborted, expired, or unknown to the ERP); true when the ERP had committed
    /// the transaction already, so the order stands.
    /// </returns>
    /// <exception cref="ErpException">Any other failure (the ERP down, a rejection other than "already committed").</exception>
    public static async Task<bool> AbortAsync(ErpClient erp, string transactionId, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await erp.AbortTransactionAsync(transactionId, cancellationToken);
            return outcome.Status == TransactionStatuses.Committed;
        }
        catch (ErpException e) when (e.Kind == ErpErrorKind.Rejected
                                     && (e.Problem?.Type == ErpProblemTypes.TransactionCommitted || e.Status == 409 && IsUntyped(e.Problem)))
        {
            // The contract has one conflict for an abort, "already committed", and the IVR decides by the status: a
            // middleware may send it as about:blank, or without a problem body. A 409 that names another conflict
            // (say, "already aborted") is not taken for a committed order: it fails as any other refusal.
            return true;
        }
        catch (ErpException e) when (e.Kind == ErpErrorKind.NotFound)
        {
            // The ERP holds nothing under this id any more: nothing is reserved, nothing was ordered.
            return false;
        }
    }

    private static bool IsUntyped(ErpProblem? problem) => problem?.Type is null or "" or "about:blank";
}
